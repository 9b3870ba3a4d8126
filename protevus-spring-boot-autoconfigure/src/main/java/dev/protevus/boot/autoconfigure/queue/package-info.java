/**
 * Auto-configuration of job queues: the Redis Streams or memory broker, the
 * {@code JobQueue} and its {@code @QueueListener} support, the web problem for an
 * unavailable queue, the {@code queue-lag} scaling signal, the {@code queues} endpoint
 * and the queue meters.
 */
@NonNullApi
package dev.protevus.boot.autoconfigure.queue;

import org.springframework.lang.NonNullApi;
