package dev.protevus.boot.data.relation;

import java.lang.annotation.Annotation;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.springframework.core.ResolvableType;
import org.springframework.data.mapping.InstanceCreatorMetadata;
import org.springframework.data.mapping.MappingException;
import org.springframework.data.mapping.Parameter;
import org.springframework.data.mapping.context.MappingContext;
import org.springframework.data.relational.core.mapping.RelationalPersistentEntity;
import org.springframework.data.relational.core.mapping.RelationalPersistentProperty;
import org.springframework.lang.Nullable;
import org.springframework.util.ReflectionUtils;
import org.springframework.util.StringUtils;

/**
 * Checks a declared relation against Spring Data's mapping and turns it into a
 * {@link ResolvedRelation}, or explains in an {@link InvalidRelationException} what to
 * change.
 */
final class RelationResolver {

	private static final List<Class<? extends Annotation>> ANNOTATIONS = List.of(HasMany.class, HasOne.class,
			BelongsTo.class, ManyToMany.class);

	private final MappingContext<? extends RelationalPersistentEntity<?>, ? extends RelationalPersistentProperty> mappingContext;

	RelationResolver(
			MappingContext<? extends RelationalPersistentEntity<?>, ? extends RelationalPersistentProperty> mappingContext) {
		this.mappingContext = mappingContext;
	}

	/**
	 * The fields of a type and its superclasses that carry a relation annotation.
	 */
	static List<Field> annotatedFields(Class<?> type) {
		List<Field> fields = new ArrayList<>();
		ReflectionUtils.doWithFields(type, fields::add, (field) -> !Modifier.isStatic(field.getModifiers())
				&& ANNOTATIONS.stream().anyMatch(field::isAnnotationPresent));
		return fields;
	}

	/**
	 * The definition that a field's annotation declares, its target type taken from the
	 * field.
	 * @throws InvalidRelationException when the field carries several relation
	 * annotations or its element type cannot be resolved
	 */
	static RelationDefinition definitionOf(Class<?> owner, Field field) {
		List<Annotation> annotations = ANNOTATIONS.stream()
			.<Annotation>map(field::getAnnotation)
			.filter((annotation) -> annotation != null)
			.toList();
		if (annotations.size() > 1) {
			String carried = annotations.stream().map(RelationResolver::describe).collect(Collectors.joining(" and "));
			throw new InvalidRelationException(owner, field.getName(), "it carries " + carried,
					"Keep one relation annotation on the property");
		}
		Annotation annotation = annotations.get(0);
		ResolvableType type = ResolvableType.forField(field, owner);
		if (annotation instanceof HasOne hasOne) {
			return RelationDefinition.hasOne(type.toClass(), hasOne.foreignKey());
		}
		if (annotation instanceof BelongsTo belongsTo) {
			return RelationDefinition.belongsTo(type.toClass(), belongsTo.foreignKey());
		}
		Class<?> target = elementType(owner, field, type);
		if (annotation instanceof HasMany hasMany) {
			return RelationDefinition.hasMany(target, hasMany.foreignKey());
		}
		ManyToMany manyToMany = (ManyToMany) annotation;
		return RelationDefinition.manyToMany(target, manyToMany.joinTable(), manyToMany.joinColumn(),
				manyToMany.inverseJoinColumn());
	}

	private static Class<?> elementType(Class<?> owner, Field field, ResolvableType type) {
		if (!Iterable.class.isAssignableFrom(type.toClass())) {
			// Not a collection: the type check explains that better than a missing
			// generic.
			return type.toClass();
		}
		Class<?> element = type.as(Iterable.class).getGeneric(0).resolve();
		if (element == null) {
			throw new InvalidRelationException(owner, field.getName(),
					"the element type of " + type + " cannot be resolved",
					"Declare the element type, for example List<Book> rather than List");
		}
		return element;
	}

	private static String describe(Annotation annotation) {
		return "@" + annotation.annotationType().getSimpleName();
	}

	/**
	 * Checks a relation and resolves it.
	 * @param ownerType the entity that declares the relation
	 * @param name the relation's property
	 * @param definition what the annotation or registration declares
	 * @return the resolved relation
	 * @throws InvalidRelationException when the declaration does not fit the mapping
	 */
	ResolvedRelation resolve(Class<?> ownerType, String name, RelationDefinition definition) {
		Check check = new Check(ownerType, name);
		RelationalPersistentEntity<?> owner = entity(ownerType);
		if (owner == null) {
			throw check.failure(ownerType.getName() + " is not a mapped entity",
					"Declare relations on mapped entities only, such as @Table classes and records");
		}
		Field field = ReflectionUtils.findField(ownerType, name);
		if (field == null || Modifier.isStatic(field.getModifiers())) {
			throw check.failure(ownerType.getName() + " has no property '" + name + "'",
					"Register the relation under the name of a field of " + ownerType.getSimpleName());
		}
		RelationalPersistentProperty mapped = owner.getPersistentProperty(name);
		if (mapped != null) {
			throw check.failure(
					"the property is mapped to column '" + mapped.getColumnName().getReference()
							+ "', so Spring Data R2DBC would read and write it",
					"Annotate the property with @org.springframework.data.annotation.Transient");
		}
		boolean setValued = checkPropertyType(check, ownerType, field, definition);
		RelationalPersistentEntity<?> target = entity(definition.targetType());
		if (target == null) {
			throw check.failure("the target type " + definition.targetType().getName() + " is not a mapped entity",
					"Relate to a mapped entity, such as a @Table class or record");
		}
		requireId(check, target);
		if (definition.kind() != RelationKind.BELONGS_TO) {
			requireId(check, owner);
		}
		RelationalPersistentProperty foreignKey = switch (definition.kind()) {
			case HAS_MANY, HAS_ONE -> column(check, target, owner, definition.foreignKey());
			case BELONGS_TO -> column(check, owner, target, definition.foreignKey());
			case MANY_TO_MANY -> {
				requireText(check, "joinTable", definition.joinTable(), "Name the join table that links "
						+ owner.getType().getSimpleName() + " and " + target.getType().getSimpleName());
				requireText(check, "joinColumn", definition.joinColumn(),
						"Name the join table's column that holds the id of " + owner.getType().getSimpleName());
				requireText(check, "inverseJoinColumn", definition.inverseJoinColumn(),
						"Name the join table's column that holds the id of " + target.getType().getSimpleName());
				yield null;
			}
		};
		RelationPropertyWriter writer = RelationPropertyWriter.forField(ownerType, field);
		if (writer == null) {
			throw check.failure(
					"the property cannot be set: its field is final and " + ownerType.getName() + " has no method "
							+ RelationPropertyWriter.witherName(field) + "(" + field.getType().getSimpleName() + ")",
					"Make the field non-final, or add a method " + ownerType.getSimpleName() + " "
							+ RelationPropertyWriter.witherName(field) + "(" + field.getType().getSimpleName() + " "
							+ name + ") that returns a copy holding the value");
		}
		checkCreator(check, owner, name);
		return new ResolvedRelation(name, definition, owner, target, foreignKey, writer, setValued);
	}

	/**
	 * Checks that the property can hold the target type.
	 * @return whether a to-many property needs a {@code Set} rather than a {@code List}
	 */
	private boolean checkPropertyType(Check check, Class<?> ownerType, Field field, RelationDefinition definition) {
		ResolvableType declared = ResolvableType.forField(field, ownerType);
		Class<?> propertyType = declared.toClass();
		Class<?> targetType = definition.targetType();
		String annotation = definition.kind().annotation();
		String simpleName = targetType.getSimpleName();
		if (!definition.kind().isToMany()) {
			if (Iterable.class.isAssignableFrom(propertyType)) {
				throw check.failure(annotation + " holds one entity but the property is a " + declared,
						"Use @HasMany or @ManyToMany for a collection property");
			}
			if (!propertyType.isAssignableFrom(targetType)) {
				throw check.failure(
						annotation + " holds one " + targetType.getName() + " but the property is a " + declared,
						"Declare the property as " + simpleName);
			}
			return false;
		}
		boolean list = propertyType.isAssignableFrom(List.class);
		Class<?> element = declared.as(Iterable.class).getGeneric(0).resolve(Object.class);
		if ((!list && !propertyType.isAssignableFrom(Set.class)) || !element.isAssignableFrom(targetType)) {
			throw check.failure(
					annotation + " holds several " + targetType.getName() + " but the property is a " + declared,
					"Declare the property as List<" + simpleName + ">, Set<" + simpleName + "> or Collection<"
							+ simpleName + ">");
		}
		return !list;
	}

	private void requireId(Check check, RelationalPersistentEntity<?> entity) {
		if (!entity.hasIdProperty()) {
			throw check.failure(entity.getType().getName() + " has no @Id property",
					"Add an @Id property to " + entity.getType().getSimpleName());
		}
	}

	private void requireText(Check check, String attribute, String value, String action) {
		if (!StringUtils.hasText(value)) {
			throw check.failure(attribute + " is empty", action);
		}
	}

	/**
	 * The property of {@code entity} that maps a column holding the id of
	 * {@code referenced}.
	 */
	private RelationalPersistentProperty column(Check check, RelationalPersistentEntity<?> entity,
			RelationalPersistentEntity<?> referenced, String column) {
		String action = "Set foreignKey to the column of " + entity.getType().getSimpleName() + " that holds the id of "
				+ referenced.getType().getSimpleName() + ", or map that column with a property of "
				+ entity.getType().getSimpleName();
		requireText(check, "foreignKey", column, action);
		List<RelationalPersistentProperty> columns = new ArrayList<>();
		for (RelationalPersistentProperty property : entity) {
			if (!property.isEmbedded()) {
				columns.add(property);
			}
		}
		for (RelationalPersistentProperty property : columns) {
			if (property.getColumnName().getReference().equalsIgnoreCase(column)) {
				return property;
			}
		}
		RelationalPersistentProperty sameName = entity.getPersistentProperty(column);
		if (sameName != null && !sameName.isEmbedded()) {
			action = "Use the column name '" + sameName.getColumnName().getReference() + "' of property '" + column
					+ "' as foreignKey";
		}
		String mapped = columns.stream()
			.map((property) -> property.getColumnName().getReference())
			.collect(Collectors.joining(", "));
		throw check.failure("column '" + column + "' is not mapped by " + entity.getType().getName()
				+ " (mapped columns: " + mapped + ")", action);
	}

	/**
	 * Spring Data reads an entity through its persistence creator, which cannot take a
	 * relation: no column holds its value.
	 */
	private void checkCreator(Check check, RelationalPersistentEntity<?> owner, String name) {
		InstanceCreatorMetadata<?> creator = owner.getInstanceCreatorMetadata();
		if (creator == null) {
			return;
		}
		for (Parameter<?, ?> parameter : creator.getParameters()) {
			if (name.equals(parameter.getName()) && !parameter.hasValueExpression()) {
				throw check.failure(
						"Spring Data R2DBC cannot read " + owner.getType().getName()
								+ " because its persistence creator takes '" + name + "', which no column holds",
						creatorAction(owner, name));
			}
		}
	}

	private String creatorAction(RelationalPersistentEntity<?> owner, String name) {
		Class<?> type = owner.getType();
		if (!type.isRecord()) {
			return "Annotate a constructor without '" + name + "' with @PersistenceCreator";
		}
		List<String> parameters = new ArrayList<>();
		List<String> arguments = new ArrayList<>();
		for (RecordComponent component : type.getRecordComponents()) {
			boolean column = owner.getPersistentProperty(component.getName()) != null;
			if (column) {
				parameters.add(component.getType().getSimpleName() + " " + component.getName());
			}
			arguments.add(column ? component.getName() : "null");
		}
		return "Add a constructor without the relations for Spring Data to read with, for example "
				+ "@PersistenceCreator " + type.getSimpleName() + "(" + String.join(", ", parameters) + ") { this("
				+ String.join(", ", arguments) + "); }";
	}

	@Nullable
	private RelationalPersistentEntity<?> entity(Class<?> type) {
		try {
			return this.mappingContext.getPersistentEntity(type);
		}
		catch (MappingException ex) {
			// A strict mapping context refuses types outside its initial entity set.
			return null;
		}
	}

	/**
	 * The relation under check, for failures that name it.
	 */
	private record Check(Class<?> ownerType, String name) {

		InvalidRelationException failure(String reason, String action) {
			return new InvalidRelationException(this.ownerType, this.name, reason, action);
		}

	}

}
