package dev.protevus.boot.queue;

/**
 * A job's payload may not or cannot be read, or written: its class is not on the
 * allowlist, does not match the listener's payload type, or its JSON is invalid. A job
 * whose payload cannot be read goes to the dead-letter stream without any attempt.
 *
 * @since 0.1.0
 */
public class JobPayloadException extends RuntimeException {

	/**
	 * Creates an exception.
	 * @param message what is wrong
	 * @param cause the cause, or {@code null}
	 */
	public JobPayloadException(String message, Throwable cause) {
		super(message, cause);
	}

	/**
	 * Creates an exception.
	 * @param message what is wrong
	 */
	public JobPayloadException(String message) {
		super(message);
	}

}
