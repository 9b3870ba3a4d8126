package dev.protevus.boot.queue;

import java.time.Duration;

/**
 * The state of one queue as its broker reports it.
 *
 * @param queue the queue's name
 * @param depth jobs waiting for a listener
 * @param pending jobs handed to a listener and not yet acknowledged
 * @param consumers consumers known to the queue's consumer group, including ones that
 * stopped without removing themselves
 * @param lag age of the oldest waiting or pending job, zero when there is none
 * @param delayed delayed jobs and retries waiting for their time
 * @param dead jobs in the dead-letter stream
 * @since 0.1.0
 */
public record QueueStats(String queue, long depth, long pending, long consumers, Duration lag, long delayed,
		long dead) {

}
