package dev.protevus.boot.data.query;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;

import org.springframework.core.convert.ConversionService;
import org.springframework.data.mapping.PersistentPropertyAccessor;
import org.springframework.data.r2dbc.core.R2dbcEntityOperations;
import org.springframework.data.r2dbc.core.ReactiveDataAccessStrategy;
import org.springframework.data.r2dbc.dialect.R2dbcDialect;
import org.springframework.data.r2dbc.mapping.OutboundRow;
import org.springframework.data.relational.core.mapping.RelationalPersistentEntity;
import org.springframework.data.relational.core.mapping.RelationalPersistentProperty;
import org.springframework.data.relational.core.sql.SqlIdentifier;
import org.springframework.r2dbc.core.binding.BindMarkersFactory;
import org.springframework.r2dbc.core.binding.BindMarkersFactoryResolver;
import org.springframework.util.Assert;

/**
 * Inserts many entities with one statement, and so one round trip, per batch, and returns
 * them with their generated ids, in input order. Entities are mapped to columns by Spring
 * Data's converter exactly as {@code R2dbcEntityTemplate.insert} maps them; immutable
 * ones, such as records, come back as new instances with the id set.
 * <p>
 * A batch is a single multi-row {@code INSERT … VALUES (…), (…) } rather than one
 * statement with many bindings ({@code Statement.add()}): PostgreSQL's driver runs each
 * binding as a round trip of its own, which would cost one per row. Null values, and a
 * null or zero id, are written as {@code DEFAULT}, so the database generates ids and
 * applies column defaults. Batches run one after another, each in its own transaction
 * unless the caller runs them in one (for example with a {@code TransactionalOperator})
 * to insert all or nothing. Entity callbacks, and so auditing, are not invoked.
 *
 * @param <T> the type of the entities
 * @since 0.1.0
 */
public final class BatchInsert<T> {

	/**
	 * Batch size unless one is set.
	 */
	public static final int DEFAULT_BATCH_SIZE = 500;

	/**
	 * Most bind parameters a statement may have: PostgreSQL's protocol counts them in 16
	 * bits.
	 */
	static final int MAX_BIND_PARAMETERS = 65_535;

	private final R2dbcEntityOperations operations;

	private final RelationalPersistentEntity<T> entity;

	private final BindMarkersFactory bindMarkers;

	private final int batchSize;

	private BatchInsert(R2dbcEntityOperations operations, RelationalPersistentEntity<T> entity,
			BindMarkersFactory bindMarkers, int batchSize) {
		this.operations = operations;
		this.entity = entity;
		this.bindMarkers = bindMarkers;
		this.batchSize = batchSize;
	}

	/**
	 * Starts a batch insert of an entity, with batches of {@value #DEFAULT_BATCH_SIZE},
	 * or fewer when that many rows would have more than 65,535 values.
	 * @param <T> the type of the entities
	 * @param operations the operations to insert with, usually the
	 * {@code R2dbcEntityTemplate}
	 * @param entityType the mapped entity
	 * @return the batch insert
	 */
	@SuppressWarnings("unchecked")
	public static <T> BatchInsert<T> of(R2dbcEntityOperations operations, Class<T> entityType) {
		Assert.notNull(operations, "operations must not be null");
		Assert.notNull(entityType, "entityType must not be null");
		RelationalPersistentEntity<T> entity = (RelationalPersistentEntity<T>) operations.getConverter()
			.getMappingContext()
			.getRequiredPersistentEntity(entityType);
		BindMarkersFactory bindMarkers = (operations.getDataAccessStrategy()
			.getDialect() instanceof R2dbcDialect dialect) ? dialect.getBindMarkersFactory()
					: BindMarkersFactoryResolver.resolve(operations.getDatabaseClient().getConnectionFactory());
		int columns = columnCount(operations, entity);
		return new BatchInsert<>(operations, entity, bindMarkers,
				Math.min(DEFAULT_BATCH_SIZE, MAX_BIND_PARAMETERS / Math.max(columns, 1)));
	}

	private static int columnCount(R2dbcEntityOperations operations, RelationalPersistentEntity<?> entity) {
		return operations.getDataAccessStrategy().getAllColumns(entity.getType()).size();
	}

	/**
	 * Sets how many entities one statement inserts.
	 * @param batchSize the number of entities, such that a batch of them has at most
	 * 65,535 values
	 * @return a batch insert with that size
	 */
	public BatchInsert<T> batchSize(int batchSize) {
		int columns = columnCount(this.operations, this.entity);
		Assert.isTrue(batchSize > 0, () -> "batchSize must be positive but was " + batchSize);
		Assert.isTrue((long) batchSize * columns <= MAX_BIND_PARAMETERS,
				() -> "batchSize %d is too large: %d rows of %s's %d columns exceed the %d values a statement may bind"
					.formatted(batchSize, batchSize, this.entity.getType().getSimpleName(), columns,
							MAX_BIND_PARAMETERS));
		return new BatchInsert<>(this.operations, this.entity, this.bindMarkers, batchSize);
	}

	/**
	 * Inserts entities.
	 * @param entities the entities, none {@code null}
	 * @return the inserted entities, with their ids, in input order
	 */
	public Flux<T> insertAll(Iterable<? extends T> entities) {
		Assert.notNull(entities, "entities must not be null");
		return insertAll(Flux.fromIterable(entities));
	}

	/**
	 * Inserts entities as they arrive, a batch at a time.
	 * @param entities the entities
	 * @return the inserted entities, with their ids, in input order
	 */
	public Flux<T> insertAll(Publisher<? extends T> entities) {
		Assert.notNull(entities, "entities must not be null");
		return Flux.<T>from(entities).buffer(this.batchSize).concatMap(this::insertBatch);
	}

	private Flux<T> insertBatch(List<T> batch) {
		return Flux.defer(() -> {
			ReactiveDataAccessStrategy strategy = this.operations.getDataAccessStrategy();
			List<T> entities = batch.stream().map(this::withInitialVersion).toList();
			List<OutboundRow> rows = entities.stream().map(strategy::getOutboundRow).toList();
			RelationalPersistentProperty id = this.entity.getIdProperty();
			SqlIdentifier idColumn = (id != null) ? id.getColumnName() : null;
			MultiRowInsert insert = MultiRowInsert.of(strategy, this.bindMarkers, this.entity.getQualifiedTableName(),
					rows, idColumn);
			if (idColumn == null) {
				return this.operations.getDatabaseClient()
					.sql(insert)
					.fetch()
					.rowsUpdated()
					.thenMany(Flux.fromIterable(entities));
			}
			return insertReturningIds(insert, strategy.renderForGeneratedValues(idColumn), entities);
		});
	}

	/**
	 * Runs the insert and sets each returned id on its entity: the database returns
	 * generated values in the order of the rows in {@code VALUES}, which is the input
	 * order.
	 */
	private Flux<T> insertReturningIds(MultiRowInsert insert, String idColumn, List<T> entities) {
		AtomicInteger next = new AtomicInteger();
		return this.operations.getDatabaseClient()
			.sql(insert)
			.filter((statement) -> statement.returnGeneratedValues(idColumn))
			.map((row, metadata) -> {
				int index = next.getAndIncrement();
				Assert.state(index < entities.size(),
						() -> unexpectedIds("more than " + entities.size(), entities.size()));
				T entity = entities.get(index);
				return this.operations.getConverter().populateIdIfNecessary(entity).apply(row, metadata);
			})
			.all()
			.collectList()
			.flatMapIterable((inserted) -> {
				Assert.state(inserted.size() == entities.size(),
						() -> unexpectedIds(String.valueOf(inserted.size()), entities.size()));
				return inserted;
			});
	}

	private String unexpectedIds(String returned, int inserted) {
		return "The database returned %s ids for %d rows inserted into %s, but one per row was expected"
			.formatted(returned, inserted, this.entity.getTableName());
	}

	/**
	 * Sets the version the way {@code R2dbcEntityTemplate.insert} does, so that
	 * optimistic locking works on entities inserted here.
	 */
	private T withInitialVersion(T entity) {
		RelationalPersistentProperty version = this.entity.getVersionProperty();
		if (version == null) {
			return entity;
		}
		ConversionService conversions = this.operations.getConverter().getConversionService();
		PersistentPropertyAccessor<T> accessor = this.entity.getPropertyAccessor(entity);
		long initial = version.getType().isPrimitive() ? 1L : 0L;
		accessor.setProperty(version, conversions.convert(initial, version.getType()));
		return accessor.getBean();
	}

	@Override
	public String toString() {
		return "BatchInsert of " + this.entity.getType().getSimpleName() + " in batches of " + this.batchSize;
	}

}
