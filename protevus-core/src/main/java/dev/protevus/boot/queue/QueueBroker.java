package dev.protevus.boot.queue;

import java.time.Duration;
import java.util.List;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.lang.Nullable;

/**
 * Where a {@link JobQueue} keeps its jobs: Redis Streams, shared by every instance
 * ({@link RedisQueueBroker}), or memory, for one instance ({@link MemoryQueueBroker}).
 * Every method is non-blocking. A job delivered to a consumer stays pending until it is
 * completed, retried or buried; one pending longer than the visibility timeout may be
 * reclaimed by another consumer.
 *
 * @since 0.1.0
 */
public interface QueueBroker {

	/**
	 * Adds a job, or schedules it when delayed.
	 * @param queue the queue
	 * @param job the job
	 * @param delay how long before it may be delivered, zero for none
	 * @param deduplicationId the deduplication id, or {@code null}
	 * @param deduplicationWindow how long the deduplication id is remembered
	 * @return the id of the job, or of the earlier job with the same deduplication id
	 */
	Mono<String> publish(String queue, EncodedJob job, Duration delay, @Nullable String deduplicationId,
			Duration deduplicationWindow);

	/**
	 * Makes the queue ready for consumers, such as by creating its consumer group.
	 * @param queue the queue
	 * @return completes when ready
	 */
	Mono<Void> prepare(String queue);

	/**
	 * Delivers jobs that no consumer has had yet, waiting up to {@code block} for one.
	 * @param queue the queue
	 * @param consumer this consumer's name
	 * @param count how many jobs at most
	 * @param block how long to wait when there is none
	 * @return the jobs, possibly none
	 */
	Mono<List<Delivery>> read(String queue, String consumer, int count, Duration block);

	/**
	 * Takes over jobs pending on any consumer for at least {@code minIdle}.
	 * @param queue the queue
	 * @param consumer this consumer's name
	 * @param count how many jobs at most
	 * @param minIdle how long a job must have been pending
	 * @return the jobs, possibly none
	 */
	Mono<List<Delivery>> reclaim(String queue, String consumer, int count, Duration minIdle);

	/**
	 * Acknowledges and removes a job whose handler completed.
	 * @param queue the queue
	 * @param delivery the delivery
	 * @return completes when done
	 */
	Mono<Void> complete(String queue, Delivery delivery);

	/**
	 * Acknowledges a delivery and schedules the job again after a delay.
	 * @param queue the queue
	 * @param delivery the delivery
	 * @param next the job at its next attempt
	 * @param delay the backoff
	 * @return completes when done
	 */
	Mono<Void> retry(String queue, Delivery delivery, EncodedJob next, Duration delay);

	/**
	 * Acknowledges a delivery and moves the job to the dead-letter stream.
	 * @param queue the queue
	 * @param delivery the delivery
	 * @param error the last error
	 * @return completes when done
	 */
	Mono<Void> bury(String queue, Delivery delivery, String error);

	/**
	 * Moves delayed jobs and retries whose time has come into the queue.
	 * @param queue the queue
	 * @return how many were moved
	 */
	Mono<Long> promoteDue(String queue);

	/**
	 * The state of a queue.
	 * @param queue the queue
	 * @return its state
	 */
	Mono<QueueStats> stats(String queue);

	/**
	 * The newest jobs of the dead-letter stream.
	 * @param queue the queue
	 * @param limit how many at most
	 * @return the jobs, newest first
	 */
	Flux<DeadJob> deadJobs(String queue, int limit);

	/**
	 * Moves every dead job back to the queue at attempt 1.
	 * @param queue the queue
	 * @return how many were moved
	 */
	Mono<Long> retryDead(String queue);

	/**
	 * Deletes every dead job.
	 * @param queue the queue
	 * @return how many were deleted
	 */
	Mono<Long> purgeDead(String queue);

	/**
	 * Frees what the broker holds for a consumer that stops, such as its connection.
	 * @param consumer the consumer's name
	 */
	default void release(String consumer) {
	}

}
