package dev.protevus.boot.data.relation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.data.r2dbc.core.R2dbcEntityTemplate;
import org.springframework.data.r2dbc.dialect.DialectResolver;
import org.springframework.data.r2dbc.dialect.R2dbcDialect;
import org.springframework.data.relational.core.dialect.Dialect;
import org.springframework.util.Assert;

/**
 * Loads the relations of Spring Data R2DBC entities without a statement per entity. An
 * eager load takes one statement per relation path (and chunk of keys) for all parents
 * together; lazy loads of one relation requested close together share one statement.
 * Nothing is queried before subscription.
 * <p>
 * For example, with {@code Author} declaring
 * {@code @HasMany(foreignKey = "author_id") List<Book> books} and {@code Book} declaring
 * {@code @HasMany(foreignKey = "book_id") List<Review> reviews}, this runs three
 * statements for any number of authors (within the chunk size): the authors', the books'
 * and the reviews'. <pre class="code">
 * Flux&lt;Author&gt; authors = template.select(Author.class).all()
 *     .transform(relations.include("books", "books.reviews"));
 * </pre>
 *
 * @since 0.1.0
 * @see RelationRegistry
 */
public class Relations {

	private final RelationRegistry registry;

	private final RelationSettings settings;

	private final RelationFetcher fetcher;

	private final EagerLoader eagerLoader;

	private final Map<ResolvedRelation, LazyLoadBatcher> batchers = new ConcurrentHashMap<>();

	/**
	 * Creates relations with the {@link RelationSettings#defaults() default settings}.
	 * @param template the template whose database client, converter and dialect run the
	 * statements
	 * @param registry the relations of the template's entities
	 */
	public Relations(R2dbcEntityTemplate template, RelationRegistry registry) {
		this(template, registry, RelationSettings.defaults());
	}

	/**
	 * Creates relations.
	 * @param template the template whose database client, converter and dialect run the
	 * statements
	 * @param registry the relations of the template's entities
	 * @param settings how statements are batched
	 */
	public Relations(R2dbcEntityTemplate template, RelationRegistry registry, RelationSettings settings) {
		Assert.notNull(template, "template must not be null");
		Assert.notNull(registry, "registry must not be null");
		Assert.notNull(settings, "settings must not be null");
		this.registry = registry;
		this.settings = settings;
		this.fetcher = new RelationFetcher(template.getDatabaseClient(), template.getConverter(), dialect(template),
				settings.chunkSize());
		this.eagerLoader = new EagerLoader(registry, this.fetcher);
	}

	private static R2dbcDialect dialect(R2dbcEntityTemplate template) {
		Dialect dialect = template.getDataAccessStrategy().getDialect();
		return (dialect instanceof R2dbcDialect r2dbcDialect) ? r2dbcDialect
				: DialectResolver.getDialect(template.getDatabaseClient().getConnectionFactory());
	}

	/**
	 * Loads relations of all parents together. The parents are collected first, so that
	 * their own query has finished before the relations' statements run on the
	 * subscriber's connection or transaction. Mutable parents are updated in place;
	 * records and other immutable parents are replaced by copies.
	 * @param <T> the parents' type
	 * @param parents the parents, all of one entity type
	 * @param paths relation names, nested with dots ({@code books.reviews} implies
	 * {@code books})
	 * @return the parents with their relations set, in their original order; to-many
	 * relations without entities hold an empty collection, to-one relations {@code null}.
	 * Signals {@link UnknownRelationException} when a path names no relation, and
	 * {@link InvalidRelationException} when a relation does not fit the mapping
	 * @throws IllegalArgumentException when a path is empty or has an empty segment
	 */
	public <T> Flux<T> load(Flux<T> parents, String... paths) {
		Assert.notNull(parents, "parents must not be null");
		return load(parents, RelationPaths.parse(paths));
	}

	/**
	 * The {@link #load(Flux, String...) load} of relations as an operator, for
	 * {@code flux.transform(relations.include("books"))}.
	 * @param <T> the parents' type
	 * @param paths relation names, nested with dots
	 * @return the operator
	 * @throws IllegalArgumentException when a path is empty or has an empty segment
	 */
	public <T> Function<Flux<T>, Flux<T>> include(String... paths) {
		RelationPaths parsed = RelationPaths.parse(paths);
		return (parents) -> load(parents, parsed);
	}

	@SuppressWarnings("unchecked")
	private <T> Flux<T> load(Flux<T> parents, RelationPaths paths) {
		if (paths.isEmpty()) {
			return parents;
		}
		return parents.collectList()
			.flatMap((list) -> this.eagerLoader.load(new ArrayList<>(list), paths))
			.flatMapIterable((loaded) -> (List<T>) loaded);
	}

	/**
	 * Loads a to-many relation ({@code @HasMany}, {@code @ManyToMany}) of one parent,
	 * sharing the statement with the loads of the same relation that other subscribers
	 * request within the batch window. The parent is left unchanged. Since the statement
	 * is shared, it runs outside the subscriber's context and so outside its transaction;
	 * use {@link #load} within one.
	 * @param <C> the related entity type
	 * @param parent the parent
	 * @param relation the relation's name
	 * @return the related entities in id order, empty when there are none. Signals
	 * {@link UnknownRelationException} when the parent declares no such relation and
	 * {@link IllegalArgumentException} when the relation holds one entity
	 */
	public <C> Mono<List<C>> lazy(Object parent, String relation) {
		return lazyLoad(parent, relation, true).map(Relations::cast);
	}

	/**
	 * Loads a to-one relation ({@code @HasOne}, {@code @BelongsTo}) of one parent,
	 * batched like {@link #lazy(Object, String)}.
	 * @param <C> the related entity type
	 * @param parent the parent
	 * @param relation the relation's name
	 * @return the related entity, empty when there is none. Signals
	 * {@link UnknownRelationException} when the parent declares no such relation and
	 * {@link IllegalArgumentException} when the relation holds several entities
	 */
	public <C> Mono<C> lazyOne(Object parent, String relation) {
		return lazyLoad(parent, relation, false)
			.flatMap((loaded) -> loaded.isEmpty() ? Mono.empty() : Mono.just(cast(loaded.get(0))));
	}

	private Mono<List<Object>> lazyLoad(Object parent, String name, boolean toMany) {
		Assert.notNull(parent, "parent must not be null");
		Assert.hasText(name, "relation must not be empty");
		return Mono.defer(() -> {
			ResolvedRelation relation = this.registry.getRequiredRelation(parent.getClass(), name, name);
			if (relation.kind().isToMany() != toMany) {
				return Mono.error(new IllegalArgumentException(relation + " holds "
						+ (toMany ? "one entity: load it with lazyOne" : "several entities: load it with lazy")));
			}
			Object key = this.fetcher.parentKey(relation, parent);
			if (key == null) {
				return Mono.just(List.of());
			}
			return this.batchers.computeIfAbsent(relation, this::batcher).load(key);
		});
	}

	private LazyLoadBatcher batcher(ResolvedRelation relation) {
		return new LazyLoadBatcher(relation, this.fetcher, this.settings.lazyBatchWindow(),
				this.settings.lazyMaxBatchSize());
	}

	@SuppressWarnings("unchecked")
	private static <C> C cast(Object value) {
		return (C) value;
	}

}
