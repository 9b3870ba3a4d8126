package dev.protevus.boot.queue;

import reactor.core.publisher.Mono;

/**
 * Runs the jobs of one queue: the functional form of
 * {@link QueueListener @QueueListener}. The job is acknowledged when the returned
 * {@code Mono} completes, and retried after its backoff when it fails or the handler
 * throws. The handler is called on a Redis or timer thread and must not block: offload
 * blocking work.
 *
 * @param <T> the payload type
 * @since 0.1.0
 */
@FunctionalInterface
public interface JobHandler<T> {

	/**
	 * Runs one job.
	 * @param payload the job's payload
	 * @param job the job's id, attempt and enqueue time
	 * @return completes when the job is done
	 */
	Mono<Void> handle(T payload, Job job);

}
