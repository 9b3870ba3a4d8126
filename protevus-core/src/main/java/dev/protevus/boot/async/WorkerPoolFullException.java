package dev.protevus.boot.async;

import java.util.concurrent.RejectedExecutionException;

/**
 * A worker pool refused a task because its threads are busy and its queue is full. Thrown
 * at once rather than after a wait, so that the caller can shed load: in a web request,
 * {@link WorkerPoolProblemMapper} answers it with 503 and {@code Retry-After}. The
 * message names the pool and nothing else; it is meant for logs, and clients get a detail
 * that does not name the pool.
 *
 * @since 0.1.0
 */
public class WorkerPoolFullException extends RejectedExecutionException {

	private final String pool;

	/**
	 * Creates an exception for a full pool.
	 * @param pool the pool's name
	 */
	public WorkerPoolFullException(String pool) {
		super("Worker pool '" + pool + "' is full");
		this.pool = pool;
	}

	/**
	 * The name of the pool that refused the task.
	 * @return the pool's name
	 */
	public String getPool() {
		return this.pool;
	}

}
