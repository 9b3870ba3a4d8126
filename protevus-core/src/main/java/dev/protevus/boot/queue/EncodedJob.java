package dev.protevus.boot.queue;

import org.springframework.lang.Nullable;

/**
 * A job as a {@link QueueBroker} stores it.
 *
 * @param id the job's id
 * @param type the payload's class name
 * @param payload the payload as JSON
 * @param attempt the attempt the job is at, from 1
 * @param enqueuedAt when it was first published, in milliseconds since the epoch; 0 until
 * the broker sets it
 * @param error the error of the previous attempt, or {@code null}
 * @since 0.1.0
 */
public record EncodedJob(String id, String type, String payload, int attempt, long enqueuedAt, @Nullable String error) {

	/**
	 * This job at its next attempt, after a failure.
	 * @param error why the attempt failed
	 * @return the job
	 */
	public EncodedJob nextAttempt(String error) {
		return new EncodedJob(this.id, this.type, this.payload, this.attempt + 1, this.enqueuedAt, error);
	}

}
