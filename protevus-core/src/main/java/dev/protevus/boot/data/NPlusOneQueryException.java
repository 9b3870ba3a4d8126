package dev.protevus.boot.data;

/**
 * A statement ran more often within one {@link StatementScope} than the N+1 threshold
 * allows, with {@code protevus.data.n-plus-one=fail}. Load the relation eagerly or lazily
 * through {@code Relations} instead of one query per row.
 *
 * @since 0.1.0
 */
public class NPlusOneQueryException extends IllegalStateException {

	public NPlusOneQueryException(String message) {
		super(message);
	}

}
