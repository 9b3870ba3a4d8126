package dev.protevus.boot.data.query;

import java.util.List;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.data.domain.Sort;
import org.springframework.data.r2dbc.core.R2dbcEntityOperations;
import org.springframework.data.relational.core.mapping.RelationalPersistentEntity;
import org.springframework.data.relational.core.mapping.RelationalPersistentProperty;
import org.springframework.data.relational.core.query.Criteria;
import org.springframework.data.relational.core.query.Query;
import org.springframework.lang.Nullable;
import org.springframework.util.Assert;
import org.springframework.util.StringUtils;

/**
 * Reads a mapped entity's table page by page by seeking past the last row read, never
 * with {@code OFFSET}: every page costs the same however deep it is, and rows inserted or
 * deleted between pages never make other rows repeat or go missing. Rows are ordered by
 * one property and then by the id, which breaks ties, so every row is read exactly once;
 * a row inserted between pages is read if it sorts after the last row read, and not if it
 * sorts before.
 * <p>
 * Each page runs {@code SELECT … WHERE <criteria> AND sort >= ? AND (sort > ? OR id > ?)
 * ORDER BY sort, id LIMIT ?} through {@link R2dbcEntityOperations#select(Class)}, so
 * mapping, projections and entity callbacks are Spring Data's; when sorting by id alone
 * the seek is {@code id > ?}. For speed give the table an index on {@code (sort, id)}.
 * The sort column must be {@code NOT NULL}: SQL comparisons with {@code NULL} are never
 * true, so such rows could not be paged past, and a page that meets one fails rather than
 * silently dropping rows.
 * <p>
 * A page holds at most {@link #maxLimit(int) maxLimit} rows ({@value #DEFAULT_MAX_LIMIT}
 * unless changed, or {@code protevus.data.pagination.max-limit} for paginations made by
 * the {@link KeysetPaginations} bean); a page size outside 1 to that maximum fails with
 * {@link InvalidPageSizeException}, which a web request answers with 400.
 * <p>
 * Instances are immutable and safe to share; each method that refines one returns a new
 * one. <pre class="code">
 * KeysetPagination&lt;BookSummary&gt; books = KeysetPagination.of(template, Book.class)
 *     .orderBy("title")
 *     .matching(Criteria.where("author").is(author))
 *     .as(BookSummary.class);
 * Mono&lt;KeysetPage&lt;BookSummary&gt;&gt; page = books.page(request.cursor(), 20);
 * </pre>
 *
 * @param <T> the type of the results: the entity or a projection of it
 * @since 0.1.0
 */
public final class KeysetPagination<T> {

	/**
	 * The largest page size of a pagination whose maximum was not changed.
	 */
	public static final int DEFAULT_MAX_LIMIT = 1000;

	private final R2dbcEntityOperations operations;

	private final RelationalPersistentEntity<?> entity;

	private final Class<T> resultType;

	private final RelationalPersistentProperty sortProperty;

	private final Sort.Direction direction;

	private final Criteria criteria;

	private final ResultKeys<T> keys;

	private final int maxLimit;

	private KeysetPagination(R2dbcEntityOperations operations, RelationalPersistentEntity<?> entity,
			Class<T> resultType, RelationalPersistentProperty sortProperty, Sort.Direction direction, Criteria criteria,
			int maxLimit) {
		this.operations = operations;
		this.entity = entity;
		this.resultType = resultType;
		this.sortProperty = sortProperty;
		this.direction = direction;
		this.criteria = criteria;
		this.maxLimit = maxLimit;
		this.keys = ResultKeys.of(operations.getConverter().getMappingContext(), entity, resultType, sortProperty);
	}

	/**
	 * Starts a pagination of an entity's rows, ordered by id ascending.
	 * @param <T> the type of the entity
	 * @param operations the operations to query with, usually the
	 * {@code R2dbcEntityTemplate}
	 * @param entityType the mapped entity, which must have an id
	 * @return the pagination
	 */
	public static <T> KeysetPagination<T> of(R2dbcEntityOperations operations, Class<T> entityType) {
		Assert.notNull(operations, "operations must not be null");
		Assert.notNull(entityType, "entityType must not be null");
		RelationalPersistentEntity<?> entity = operations.getConverter()
			.getMappingContext()
			.getRequiredPersistentEntity(entityType);
		Assert.isTrue(entity.hasIdProperty(), () -> "Keyset pagination needs an id to break ties, but "
				+ entityType.getName() + " has no @Id property");
		return new KeysetPagination<>(operations, entity, entityType, entity.getRequiredIdProperty(),
				Sort.Direction.ASC, Criteria.empty(), DEFAULT_MAX_LIMIT);
	}

	/**
	 * Sets the largest page size: asking for more rows fails with
	 * {@link InvalidPageSizeException} instead of reading them.
	 * @param maxLimit the largest page size, at least 1
	 * @return a pagination with that maximum
	 */
	public KeysetPagination<T> maxLimit(int maxLimit) {
		Assert.isTrue(maxLimit > 0 && maxLimit < Integer.MAX_VALUE,
				() -> "maxLimit must be between 1 and " + (Integer.MAX_VALUE - 1) + " but was " + maxLimit);
		return new KeysetPagination<>(this.operations, this.entity, this.resultType, this.sortProperty, this.direction,
				this.criteria, maxLimit);
	}

	/**
	 * The largest page size.
	 * @return the maximum, {@value #DEFAULT_MAX_LIMIT} unless changed
	 */
	public int getMaxLimit() {
		return this.maxLimit;
	}

	/**
	 * Orders rows by a property ascending, then by id.
	 * @param property the name of a property of the entity whose column is
	 * {@code NOT NULL}
	 * @return a pagination with that order
	 */
	public KeysetPagination<T> orderBy(String property) {
		return orderBy(property, Sort.Direction.ASC);
	}

	/**
	 * Orders rows by a property, then by id in the same direction.
	 * @param property the name of a property of the entity whose column is
	 * {@code NOT NULL}
	 * @param direction the direction of both
	 * @return a pagination with that order
	 */
	public KeysetPagination<T> orderBy(String property, Sort.Direction direction) {
		Assert.hasText(property, "property must not be empty");
		Assert.notNull(direction, "direction must not be null");
		RelationalPersistentProperty sortProperty = this.entity.getPersistentProperty(property);
		Assert.isTrue(sortProperty != null, () -> "Cannot sort by '%s': %s has no such property".formatted(property,
				this.entity.getType().getName()));
		Assert.isTrue(!sortProperty.isEntity() && !sortProperty.isCollectionLike() && !sortProperty.isMap(),
				() -> "Cannot sort by '%s': it is not a single column".formatted(property));
		return new KeysetPagination<>(this.operations, this.entity, this.resultType, sortProperty, direction,
				this.criteria, this.maxLimit);
	}

	/**
	 * Reads only the rows that match criteria, in terms of the entity's property names.
	 * @param criteria the criteria, which replace any set before
	 * @return a pagination with those criteria
	 */
	public KeysetPagination<T> matching(Criteria criteria) {
		Assert.notNull(criteria, "criteria must not be null");
		return new KeysetPagination<>(this.operations, this.entity, this.resultType, this.sortProperty, this.direction,
				criteria, this.maxLimit);
	}

	/**
	 * Reads results as a projection, selecting only its columns as
	 * {@code select(entityType).as(resultType)} does. To make cursors the projection must
	 * carry the sort and id properties, under the entity's property names.
	 * @param <R> the type of the projection
	 * @param resultType a DTO class, record or interface
	 * @return a pagination with that result type
	 * @throws IllegalArgumentException if the projection lacks the sort or id property
	 */
	public <R> KeysetPagination<R> as(Class<R> resultType) {
		Assert.notNull(resultType, "resultType must not be null");
		return new KeysetPagination<>(this.operations, this.entity, resultType, this.sortProperty, this.direction,
				this.criteria, this.maxLimit);
	}

	/**
	 * Reads the first rows.
	 * @param limit how many rows to read at most
	 * @return the rows, in order
	 */
	public Flux<T> first(int limit) {
		checkLimit(limit);
		return select(null, limit);
	}

	/**
	 * Reads the rows after a known one. When sorting by id alone the sort value is the id
	 * too.
	 * @param lastSortValue the sort value of the last row read, of the sort property's
	 * type or convertible to it
	 * @param lastId the id of the last row read
	 * @param limit how many rows to read at most
	 * @return the rows, in order
	 */
	public Flux<T> after(Object lastSortValue, Object lastId, int limit) {
		Assert.notNull(lastSortValue, "lastSortValue must not be null");
		Assert.notNull(lastId, "lastId must not be null");
		checkLimit(limit);
		Object sortValue = argument(lastSortValue, this.sortProperty);
		Object id = argument(lastId, this.entity.getRequiredIdProperty());
		return select(seek(sortValue, id), limit);
	}

	/**
	 * Reads the first page.
	 * @param limit how many items a page has at most
	 * @return the page
	 * @throws InvalidPageSizeException if the limit is not between 1 and the maximum
	 */
	public Mono<KeysetPage<T>> firstPage(int limit) {
		checkLimit(limit);
		return readPage(null, limit);
	}

	/**
	 * Reads the page that starts at a cursor.
	 * @param cursor a cursor from a previous page of a pagination with the same order
	 * @param limit how many items a page has at most
	 * @return the page
	 * @throws InvalidCursorException if the cursor was made for another order, or its
	 * values cannot be those of the sort and id properties
	 */
	public Mono<KeysetPage<T>> nextPage(Cursor cursor, int limit) {
		Assert.notNull(cursor, "cursor must not be null");
		checkLimit(limit);
		if (!cursor.isFor(this.sortProperty.getName(), this.direction)) {
			throw new InvalidCursorException("Invalid cursor: it is for rows sorted by '%s' %s, not by '%s' %s"
				.formatted(cursor.sortProperty(), cursor.direction(), this.sortProperty.getName(), this.direction));
		}
		Object sortValue = cursorValue(cursor.sortValue(), this.sortProperty);
		Object id = cursorValue(cursor.id(), this.entity.getRequiredIdProperty());
		return readPage(seek(sortValue, id), limit);
	}

	/**
	 * Reads the page a client asked for with a token from {@link KeysetPage#nextToken()},
	 * or the first page when it gave none.
	 * @param token the token, or {@code null} or empty for the first page
	 * @param limit how many items a page has at most
	 * @return the page
	 * @throws InvalidCursorException if the token is malformed, edited or made for
	 * another order
	 * @throws InvalidPageSizeException if the limit is not between 1 and the maximum
	 */
	public Mono<KeysetPage<T>> page(@Nullable String token, int limit) {
		return StringUtils.hasLength(token) ? nextPage(Cursor.decode(token), limit) : firstPage(limit);
	}

	private Criteria seek(Object sortValue, Object id) {
		return SeekCriteria.after(this.sortProperty.getName(), this.entity.getRequiredIdProperty().getName(),
				this.direction, sortValue, id);
	}

	private Mono<KeysetPage<T>> readPage(@Nullable Criteria seek, int limit) {
		// One row more than the page tells whether another page follows without a count.
		return select(seek, limit + 1).collectList().map((rows) -> toPage(rows, limit));
	}

	private KeysetPage<T> toPage(List<T> rows, int limit) {
		List<T> items = (rows.size() > limit) ? rows.subList(0, limit) : rows;
		Cursor last = null;
		for (T item : items) {
			// Made for every item, so that a NULL sort value fails on the page that shows
			// it.
			last = this.keys.cursorAfter(item, this.direction);
		}
		return new KeysetPage<>(items, (rows.size() > limit) ? last : null);
	}

	private Flux<T> select(@Nullable Criteria seek, int limit) {
		Criteria where = Criteria.empty();
		if (!this.criteria.isEmpty()) {
			// Grouped on its own: Criteria.from(criteria, seek) leaves an OR in it
			// unparenthesised.
			where = where.and(this.criteria);
		}
		if (seek != null) {
			where = where.and(seek);
		}
		Query query = Query.query(where).sort(sort()).limit(limit);
		return this.operations.select(this.entity.getType()).as(this.resultType).matching(query).all();
	}

	private Sort sort() {
		String id = this.entity.getRequiredIdProperty().getName();
		Sort byId = Sort.by(this.direction, id);
		return this.sortProperty.getName().equals(id) ? byId
				: Sort.by(this.direction, this.sortProperty.getName()).and(byId);
	}

	private static Object argument(Object value, RelationalPersistentProperty property) {
		try {
			return CursorTokens.convert(value, property.getType());
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException(
					"%s is not a value of '%s' (%s)".formatted(value, property.getName(), property.getType().getName()),
					ex);
		}
	}

	private static Object cursorValue(Object value, RelationalPersistentProperty property) {
		try {
			return CursorTokens.convert(value, property.getType());
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidCursorException("Invalid cursor: %s is not a value of '%s' (%s)".formatted(value,
					property.getName(), property.getType().getSimpleName()), ex);
		}
	}

	private void checkLimit(int limit) {
		if (limit < 1 || limit > this.maxLimit) {
			throw new InvalidPageSizeException(limit, this.maxLimit);
		}
	}

	@Override
	public String toString() {
		return "KeysetPagination of " + this.entity.getType().getSimpleName() + " as " + this.resultType.getSimpleName()
				+ " ordered by " + this.sortProperty.getName() + " " + this.direction;
	}

}
