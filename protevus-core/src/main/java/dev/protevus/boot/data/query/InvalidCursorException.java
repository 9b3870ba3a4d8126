package dev.protevus.boot.data.query;

/**
 * Thrown when a cursor token cannot be used: it is malformed, was altered, or was made
 * for a different sort. It is an {@link IllegalArgumentException} because the token comes
 * from the client, so a web layer can answer it with {@code 400 Bad Request}.
 *
 * @since 0.1.0
 * @see Cursor#decode(String)
 */
public class InvalidCursorException extends IllegalArgumentException {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates an exception with a message that says what is wrong with the cursor.
	 * @param message the detail message
	 */
	public InvalidCursorException(String message) {
		super(message);
	}

	/**
	 * Creates an exception with a message that says what is wrong with the cursor.
	 * @param message the detail message
	 * @param cause the failure that revealed it
	 */
	public InvalidCursorException(String message, Throwable cause) {
		super(message, cause);
	}

}
