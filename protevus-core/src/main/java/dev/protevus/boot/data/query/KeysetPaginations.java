package dev.protevus.boot.data.query;

import org.springframework.data.r2dbc.core.R2dbcEntityOperations;
import org.springframework.util.Assert;

/**
 * Starts {@link KeysetPagination}s that share one set of operations and one largest page
 * size, so that a page size a client sends is capped the same way everywhere. Protevus's
 * auto-configuration provides one, capped at {@code protevus.data.pagination.max-limit}.
 * <pre class="code">
 * KeysetPagination&lt;Book&gt; byTitle = paginations.of(Book.class).orderBy("title");
 * </pre>
 *
 * @since 0.1.0
 */
public class KeysetPaginations {

	private final R2dbcEntityOperations operations;

	private final int maxLimit;

	/**
	 * Creates a starting point for paginations.
	 * @param operations the operations to query with, usually the
	 * {@code R2dbcEntityTemplate}
	 * @param maxLimit the largest page size of every pagination started here, at least 1
	 */
	public KeysetPaginations(R2dbcEntityOperations operations, int maxLimit) {
		Assert.notNull(operations, "operations must not be null");
		Assert.isTrue(maxLimit > 0 && maxLimit < Integer.MAX_VALUE,
				() -> "maxLimit must be between 1 and " + (Integer.MAX_VALUE - 1) + " but was " + maxLimit);
		this.operations = operations;
		this.maxLimit = maxLimit;
	}

	/**
	 * Starts a pagination of an entity's rows, ordered by id ascending, with this maximum
	 * page size.
	 * @param <T> the type of the entity
	 * @param entityType the mapped entity, which must have an id
	 * @return the pagination
	 * @see KeysetPagination#of(R2dbcEntityOperations, Class)
	 */
	public <T> KeysetPagination<T> of(Class<T> entityType) {
		return KeysetPagination.of(this.operations, entityType).maxLimit(this.maxLimit);
	}

	/**
	 * The largest page size of the paginations started here.
	 * @return the maximum
	 */
	public int getMaxLimit() {
		return this.maxLimit;
	}

}
