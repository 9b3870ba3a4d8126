/**
 * Job queues shared by every instance of a service, usable without auto-configuration:
 * {@link dev.protevus.boot.queue.JobQueue} publishes jobs and runs listeners with bounded
 * concurrency, retries with backoff, a dead-letter store, delayed jobs and reclaiming of
 * jobs left by a crashed instance, on a {@link dev.protevus.boot.queue.QueueBroker}:
 * Redis Streams ({@link dev.protevus.boot.queue.RedisQueueBroker}) or memory
 * ({@link dev.protevus.boot.queue.MemoryQueueBroker}). Queue lag reaches other features
 * through {@link dev.protevus.boot.queue.QueueLag}.
 */
@NonNullApi
package dev.protevus.boot.queue;

import org.springframework.lang.NonNullApi;
