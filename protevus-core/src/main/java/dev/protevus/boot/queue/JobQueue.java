package dev.protevus.boot.queue;

import java.util.Set;

import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Job queues shared by every instance of a service. Delivery is at least once: a job is
 * acknowledged only after its handler completed, retried after a backoff when the handler
 * failed, moved to the queue's dead-letter stream after its last attempt, and taken over
 * by another instance when the one running it stopped without finishing. Handlers should
 * therefore be idempotent.
 *
 * @since 0.1.0
 */
public interface JobQueue {

	/**
	 * Publishes a job to run as soon as a listener is free.
	 * @param queue the queue's name
	 * @param payload the payload, written as JSON; its class must be one the payload
	 * allowlist admits
	 * @return the job's id, or a {@link QueueUnavailableException} when the broker cannot
	 * be reached in time
	 */
	default Mono<String> publish(String queue, Object payload) {
		return publish(queue, payload, PublishOptions.none());
	}

	/**
	 * Publishes a job, delayed or deduplicated as the options say.
	 * @param queue the queue's name
	 * @param payload the payload
	 * @param options the options
	 * @return the job's id (an earlier job's for a duplicate), or a
	 * {@link QueueUnavailableException}
	 */
	Mono<String> publish(String queue, Object payload, PublishOptions options);

	/**
	 * Runs a queue's jobs with a handler on this instance, up to the queue's concurrency
	 * at once, from when the application has started until it stops or the returned
	 * {@code Disposable} is disposed.
	 * @param <T> the payload type
	 * @param queue the queue's name
	 * @param payloadType the payload type; a job whose payload is of another type is
	 * moved to the dead-letter stream unread
	 * @param handler the handler
	 * @return disposing it stops the listener after its jobs in flight
	 * @throws IllegalStateException if the queue already has a listener here
	 */
	<T> Disposable listen(String queue, Class<T> payloadType, JobHandler<T> handler);

	/**
	 * The state of a queue now.
	 * @param queue the queue's name
	 * @return its state
	 */
	Mono<QueueStats> stats(String queue);

	/**
	 * The queues this instance knows: configured, listened to or published to.
	 * @return their names
	 */
	Set<String> queues();

	/**
	 * The settings a queue runs with.
	 * @param queue the queue's name
	 * @return its settings, the defaults for a queue not configured
	 */
	QueueSettings settings(String queue);

	/**
	 * The most recent jobs of a queue's dead-letter stream.
	 * @param queue the queue's name
	 * @param limit how many at most
	 * @return the jobs, newest first
	 */
	Flux<DeadJob> deadJobs(String queue, int limit);

	/**
	 * Moves every job of a queue's dead-letter stream back to the queue, each with its
	 * attempts counted from 1 again.
	 * @param queue the queue's name
	 * @return how many jobs were moved
	 */
	Mono<Long> retryDead(String queue);

	/**
	 * Deletes every job of a queue's dead-letter stream.
	 * @param queue the queue's name
	 * @return how many jobs were deleted
	 */
	Mono<Long> purgeDead(String queue);

}
