package dev.protevus.boot.data.relation;

import org.springframework.util.Assert;

/**
 * A relation declared in code rather than by annotation, for entities that cannot be
 * annotated. Register it with
 * {@link RelationRegistry#register(Class, String, RelationDefinition)}; it is validated
 * exactly like an annotated one.
 *
 * @since 0.1.0
 */
public final class RelationDefinition {

	private final RelationKind kind;

	private final Class<?> targetType;

	private final String foreignKey;

	private final String joinTable;

	private final String joinColumn;

	private final String inverseJoinColumn;

	private RelationDefinition(RelationKind kind, Class<?> targetType, String foreignKey, String joinTable,
			String joinColumn, String inverseJoinColumn) {
		Assert.notNull(targetType, "targetType must not be null");
		Assert.notNull(foreignKey, "foreignKey must not be null");
		Assert.notNull(joinTable, "joinTable must not be null");
		Assert.notNull(joinColumn, "joinColumn must not be null");
		Assert.notNull(inverseJoinColumn, "inverseJoinColumn must not be null");
		this.kind = kind;
		this.targetType = targetType;
		this.foreignKey = foreignKey;
		this.joinTable = joinTable;
		this.joinColumn = joinColumn;
		this.inverseJoinColumn = inverseJoinColumn;
	}

	/**
	 * The {@link HasMany} relation to the entities whose {@code foreignKey} column holds
	 * the owner's id.
	 * @param targetType the related entity type
	 * @param foreignKey the column of the target's table
	 * @return the definition
	 */
	public static RelationDefinition hasMany(Class<?> targetType, String foreignKey) {
		return new RelationDefinition(RelationKind.HAS_MANY, targetType, foreignKey, "", "", "");
	}

	/**
	 * The {@link HasOne} relation to the entity whose {@code foreignKey} column holds the
	 * owner's id.
	 * @param targetType the related entity type
	 * @param foreignKey the column of the target's table
	 * @return the definition
	 */
	public static RelationDefinition hasOne(Class<?> targetType, String foreignKey) {
		return new RelationDefinition(RelationKind.HAS_ONE, targetType, foreignKey, "", "", "");
	}

	/**
	 * The {@link BelongsTo} relation to the entity whose id the owner's
	 * {@code foreignKey} column holds.
	 * @param targetType the related entity type
	 * @param foreignKey the column of the owner's table
	 * @return the definition
	 */
	public static RelationDefinition belongsTo(Class<?> targetType, String foreignKey) {
		return new RelationDefinition(RelationKind.BELONGS_TO, targetType, foreignKey, "", "", "");
	}

	/**
	 * The {@link ManyToMany} relation to the entities linked to the owner through a join
	 * table.
	 * @param targetType the related entity type
	 * @param joinTable the join table
	 * @param joinColumn the join table's column holding the owner's id
	 * @param inverseJoinColumn the join table's column holding the target's id
	 * @return the definition
	 */
	public static RelationDefinition manyToMany(Class<?> targetType, String joinTable, String joinColumn,
			String inverseJoinColumn) {
		return new RelationDefinition(RelationKind.MANY_TO_MANY, targetType, "", joinTable, joinColumn,
				inverseJoinColumn);
	}

	RelationKind kind() {
		return this.kind;
	}

	Class<?> targetType() {
		return this.targetType;
	}

	String foreignKey() {
		return this.foreignKey;
	}

	String joinTable() {
		return this.joinTable;
	}

	String joinColumn() {
		return this.joinColumn;
	}

	String inverseJoinColumn() {
		return this.inverseJoinColumn;
	}

	@Override
	public String toString() {
		String columns = (this.kind != RelationKind.MANY_TO_MANY) ? "foreignKey=" + this.foreignKey : "joinTable="
				+ this.joinTable + ", joinColumn=" + this.joinColumn + ", inverseJoinColumn=" + this.inverseJoinColumn;
		return this.kind.annotation() + "(" + this.targetType.getName() + ", " + columns + ")";
	}

}
