package dev.protevus.boot.queue;

import java.time.Duration;

/**
 * Told what happens to jobs, for metrics. Called on queue threads: must be quick and must
 * not block or throw.
 *
 * @since 0.1.0
 */
public interface QueueObserver {

	/**
	 * A job was published.
	 * @param queue the queue
	 */
	default void published(String queue) {
	}

	/**
	 * A job's handler completed and the job was acknowledged.
	 * @param queue the queue
	 * @param duration how long the handler took
	 */
	default void processed(String queue, Duration duration) {
	}

	/**
	 * A job's attempt failed.
	 * @param queue the queue
	 * @param duration how long the handler took
	 */
	default void failed(String queue, Duration duration) {
	}

	/**
	 * A failed job was scheduled for another attempt.
	 * @param queue the queue
	 */
	default void retried(String queue) {
	}

	/**
	 * A job was moved to the dead-letter stream.
	 * @param queue the queue
	 */
	default void dead(String queue) {
	}

}
