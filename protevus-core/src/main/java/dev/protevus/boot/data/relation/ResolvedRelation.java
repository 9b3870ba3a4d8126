package dev.protevus.boot.data.relation;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;

import org.springframework.data.relational.core.mapping.RelationalPersistentEntity;
import org.springframework.data.relational.core.mapping.RelationalPersistentProperty;
import org.springframework.data.relational.core.sql.SqlIdentifier;
import org.springframework.lang.Nullable;
import org.springframework.util.ClassUtils;

/**
 * A relation checked against the mapping: the tables and columns to query, how to read
 * keys on both sides and how to set the loaded entities.
 */
final class ResolvedRelation {

	private final String name;

	private final RelationKind kind;

	private final RelationalPersistentEntity<?> owner;

	private final RelationalPersistentEntity<?> target;

	@Nullable
	private final RelationalPersistentProperty foreignKey;

	private final RelationDefinition definition;

	private final Class<?> keyType;

	private final RelationPropertyWriter writer;

	private final boolean setValued;

	/**
	 * Creates a resolved relation.
	 * @param foreignKey the property mapping the foreign key column: the target's for
	 * {@code @HasMany} and {@code @HasOne}, the owner's for {@code @BelongsTo},
	 * {@code null} for {@code @ManyToMany}
	 */
	ResolvedRelation(String name, RelationDefinition definition, RelationalPersistentEntity<?> owner,
			RelationalPersistentEntity<?> target, @Nullable RelationalPersistentProperty foreignKey,
			RelationPropertyWriter writer, boolean setValued) {
		this.name = name;
		this.kind = definition.kind();
		this.definition = definition;
		this.owner = owner;
		this.target = target;
		this.foreignKey = foreignKey;
		this.writer = writer;
		this.setValued = setValued;
		RelationalPersistentEntity<?> referenced = (this.kind != RelationKind.BELONGS_TO) ? owner : target;
		this.keyType = ClassUtils.resolvePrimitiveIfNecessary(referenced.getRequiredIdProperty().getActualType());
	}

	String name() {
		return this.name;
	}

	RelationKind kind() {
		return this.kind;
	}

	Class<?> ownerType() {
		return this.owner.getType();
	}

	RelationalPersistentEntity<?> target() {
		return this.target;
	}

	/**
	 * The type both sides' keys are converted to before they are compared: the id type of
	 * the entity that the foreign key references.
	 */
	Class<?> keyType() {
		return this.keyType;
	}

	/**
	 * The column of the target's table that the keys are matched against, for every kind
	 * but {@code @ManyToMany}.
	 */
	SqlIdentifier targetKeyColumn() {
		return (this.kind != RelationKind.BELONGS_TO) ? requiredForeignKey().getColumnName()
				: this.target.getIdColumn();
	}

	SqlIdentifier joinTable() {
		return SqlIdentifier.unquoted(this.definition.joinTable());
	}

	SqlIdentifier joinColumn() {
		return SqlIdentifier.unquoted(this.definition.joinColumn());
	}

	SqlIdentifier inverseJoinColumn() {
		return SqlIdentifier.unquoted(this.definition.inverseJoinColumn());
	}

	/**
	 * The key that a parent's related entities are found by: its foreign key value for
	 * {@code @BelongsTo}, its id otherwise.
	 * @return the key as the parent holds it, {@code null} when it has none
	 */
	@Nullable
	Object parentKey(Object parent) {
		if (this.kind == RelationKind.BELONGS_TO) {
			return this.owner.getPropertyAccessor(parent).getProperty(requiredForeignKey());
		}
		return this.owner.getIdentifierAccessor(parent).getIdentifier();
	}

	/**
	 * The key that a loaded entity belongs to, for every kind but {@code @ManyToMany},
	 * whose key comes from the join table.
	 * @return the key as the entity holds it
	 */
	@Nullable
	Object targetKey(Object loaded) {
		if (this.kind == RelationKind.BELONGS_TO) {
			return this.target.getIdentifierAccessor(loaded).getIdentifier();
		}
		return this.target.getPropertyAccessor(loaded).getProperty(requiredForeignKey());
	}

	/**
	 * Sets the loaded entities on a parent.
	 * @param parent the parent
	 * @param loaded its related entities, in order
	 * @return the parent, or its copy for immutable types
	 */
	Object attach(Object parent, List<?> loaded) {
		if (!this.kind.isToMany()) {
			return this.writer.write(parent, loaded.isEmpty() ? null : loaded.get(0));
		}
		Object value = this.setValued ? Collections.unmodifiableSet(new LinkedHashSet<>(loaded)) : List.copyOf(loaded);
		return this.writer.write(parent, value);
	}

	private RelationalPersistentProperty requiredForeignKey() {
		if (this.foreignKey == null) {
			throw new IllegalStateException("Relation '" + this.name + "' has no foreign key property");
		}
		return this.foreignKey;
	}

	@Override
	public String toString() {
		return "Relation '" + this.name + "' of " + this.owner.getType().getName();
	}

}
