package dev.protevus.boot.data.relation;

import java.lang.reflect.Field;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.data.mapping.context.MappingContext;
import org.springframework.data.relational.core.mapping.RelationalPersistentEntity;
import org.springframework.data.relational.core.mapping.RelationalPersistentProperty;
import org.springframework.util.Assert;

/**
 * The relations of the mapped entities: those declared by {@link HasMany},
 * {@link HasOne}, {@link BelongsTo} and {@link ManyToMany}, read per entity type on first
 * use, and those {@link #register registered} for types that cannot be annotated. Call
 * {@link #validate()} at start-up so that a declaration that does not fit the mapping
 * fails there rather than on the first request that loads it.
 *
 * @since 0.1.0
 */
public class RelationRegistry {

	private final MappingContext<? extends RelationalPersistentEntity<?>, ? extends RelationalPersistentProperty> mappingContext;

	private final RelationResolver resolver;

	private final Map<Class<?>, Map<String, RelationDefinition>> registrations = new ConcurrentHashMap<>();

	private final Map<Class<?>, EntityRelations> relations = new ConcurrentHashMap<>();

	/**
	 * Creates a registry for the entities of a mapping context, typically Spring Data
	 * R2DBC's {@code R2dbcMappingContext} or
	 * {@code R2dbcEntityTemplate.getConverter().getMappingContext()}.
	 * @param mappingContext the mapping context
	 */
	public RelationRegistry(
			MappingContext<? extends RelationalPersistentEntity<?>, ? extends RelationalPersistentProperty> mappingContext) {
		Assert.notNull(mappingContext, "mappingContext must not be null");
		this.mappingContext = mappingContext;
		this.resolver = new RelationResolver(mappingContext);
	}

	/**
	 * Declares a relation in code. It replaces an annotation on the same property, and an
	 * earlier registration. Register before loading, typically while the application
	 * starts.
	 * @param entityType the entity that owns the relation
	 * @param property the {@code @Transient} property that receives the related entities;
	 * also the relation's name in paths
	 * @param definition what the property relates to
	 * @return this registry, to register more
	 */
	public RelationRegistry register(Class<?> entityType, String property, RelationDefinition definition) {
		Assert.notNull(entityType, "entityType must not be null");
		Assert.hasText(property, "property must not be empty");
		Assert.notNull(definition, "definition must not be null");
		this.registrations.compute(entityType, (type, existing) -> {
			Map<String, RelationDefinition> definitions = new LinkedHashMap<>((existing != null) ? existing : Map.of());
			definitions.put(property, definition);
			return Collections.unmodifiableMap(definitions);
		});
		this.relations.remove(entityType);
		return this;
	}

	/**
	 * The names of the relations an entity declares, valid or not.
	 * @param entityType the entity type
	 * @return the names, sorted
	 */
	public List<String> getRelationNames(Class<?> entityType) {
		Assert.notNull(entityType, "entityType must not be null");
		return relationsOf(entityType).names();
	}

	/**
	 * Checks every relation of every entity that the mapping context knows, of every type
	 * with registrations, and of every type they relate to: columns, property, type and
	 * writability.
	 * @throws InvalidRelationException for the first relation that does not fit the
	 * mapping, in the order of entity and relation names
	 */
	public void validate() {
		Deque<Class<?>> pending = new ArrayDeque<>();
		this.mappingContext.getPersistentEntities().forEach((entity) -> pending.add(entity.getType()));
		pending.addAll(this.registrations.keySet());
		Set<Class<?>> checked = new HashSet<>();
		Set<Class<?>> sorted = new TreeSet<>(Comparator.comparing(Class::getName));
		while (!pending.isEmpty()) {
			sorted.clear();
			sorted.addAll(pending);
			pending.clear();
			for (Class<?> type : sorted) {
				if (checked.add(type)) {
					EntityRelations declared = relationsOf(type);
					declared.invalid().values().stream().findFirst().ifPresent(RelationRegistry::rethrow);
					declared.valid().values().forEach((relation) -> pending.add(relation.target().getType()));
				}
			}
		}
	}

	/**
	 * The relation that a path segment names.
	 * @param entityType the entity the path has reached
	 * @param name the segment
	 * @param path the whole path, for the exception
	 * @throws UnknownRelationException when the entity declares no such relation
	 * @throws InvalidRelationException when the relation does not fit the mapping
	 */
	ResolvedRelation getRequiredRelation(Class<?> entityType, String name, String path) {
		EntityRelations declared = relationsOf(entityType);
		InvalidRelationException invalid = declared.invalid().get(name);
		if (invalid != null) {
			rethrow(invalid);
		}
		ResolvedRelation relation = declared.valid().get(name);
		if (relation == null) {
			throw new UnknownRelationException(entityType, path, name, declared.names());
		}
		return relation;
	}

	private EntityRelations relationsOf(Class<?> type) {
		EntityRelations declared = this.relations.get(type);
		if (declared == null) {
			declared = resolve(type);
			EntityRelations concurrent = this.relations.putIfAbsent(type, declared);
			declared = (concurrent != null) ? concurrent : declared;
		}
		return declared;
	}

	private EntityRelations resolve(Class<?> type) {
		Map<String, RelationDefinition> definitions = new LinkedHashMap<>();
		Map<String, InvalidRelationException> invalid = new TreeMap<>();
		for (Field field : RelationResolver.annotatedFields(type)) {
			try {
				definitions.put(field.getName(), RelationResolver.definitionOf(type, field));
			}
			catch (InvalidRelationException ex) {
				invalid.put(field.getName(), ex);
			}
		}
		Map<String, RelationDefinition> registered = this.registrations.getOrDefault(type, Map.of());
		definitions.putAll(registered);
		invalid.keySet().removeAll(registered.keySet());
		Map<String, ResolvedRelation> valid = new TreeMap<>();
		definitions.forEach((name, definition) -> {
			try {
				valid.put(name, this.resolver.resolve(type, name, definition));
			}
			catch (InvalidRelationException ex) {
				invalid.put(name, ex);
			}
		});
		return new EntityRelations(valid, invalid);
	}

	/**
	 * Throws a fresh copy of a cached failure, so that its stack trace shows the current
	 * caller.
	 */
	private static void rethrow(InvalidRelationException cached) {
		throw new InvalidRelationException(cached.getEntityType(), cached.getProperty(), cached.getReason(),
				cached.getAction());
	}

	/**
	 * The relations of one entity type, each either resolved or failed, by name.
	 */
	private record EntityRelations(Map<String, ResolvedRelation> valid, Map<String, InvalidRelationException> invalid) {

		List<String> names() {
			Set<String> names = new TreeSet<>(this.valid.keySet());
			names.addAll(this.invalid.keySet());
			return List.copyOf(names);
		}

	}

}
