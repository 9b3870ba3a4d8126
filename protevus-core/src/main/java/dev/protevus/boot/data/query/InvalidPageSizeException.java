package dev.protevus.boot.data.query;

/**
 * Thrown when a page size is not between 1 and the pagination's maximum. It is an
 * {@link IllegalArgumentException} because the size usually comes from the client, so a
 * web layer can answer it with {@code 400 Bad Request}, as Protevus's does.
 *
 * @since 0.1.0
 * @see KeysetPagination#maxLimit(int)
 */
public class InvalidPageSizeException extends IllegalArgumentException {

	private static final long serialVersionUID = 1L;

	private final int limit;

	private final int maxLimit;

	/**
	 * Creates an exception for a page size that is out of range.
	 * @param limit the page size asked for
	 * @param maxLimit the largest page size allowed
	 */
	public InvalidPageSizeException(int limit, int maxLimit) {
		super("The page size must be between 1 and " + maxLimit + " but was " + limit);
		this.limit = limit;
		this.maxLimit = maxLimit;
	}

	/**
	 * The page size asked for.
	 * @return the page size
	 */
	public int getLimit() {
		return this.limit;
	}

	/**
	 * The largest page size allowed.
	 * @return the maximum
	 */
	public int getMaxLimit() {
		return this.maxLimit;
	}

}
