package dev.protevus.boot.queue;

/**
 * A queue's broker could not be reached or did not answer in time, so a job was not
 * published or an operation not done. The web layer answers it with
 * {@code 503 Service Unavailable} ({@link QueueProblemMapper}).
 *
 * @since 0.1.0
 */
public class QueueUnavailableException extends RuntimeException {

	private final String queue;

	/**
	 * Creates an exception.
	 * @param queue the queue
	 * @param cause why it is unavailable
	 */
	public QueueUnavailableException(String queue, Throwable cause) {
		super("Queue '" + queue + "' is unavailable: " + cause.getMessage(), cause);
		this.queue = queue;
	}

	/**
	 * The queue that could not be reached.
	 * @return its name
	 */
	public String getQueue() {
		return this.queue;
	}

}
