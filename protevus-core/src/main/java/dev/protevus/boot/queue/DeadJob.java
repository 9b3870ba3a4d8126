package dev.protevus.boot.queue;

import java.time.Instant;

import org.springframework.lang.Nullable;

/**
 * A job in a queue's dead-letter stream: it failed on every attempt, or its payload could
 * not be read.
 *
 * @param id the job's id
 * @param type the payload's class name, as published
 * @param attempts how many attempts were made
 * @param enqueuedAt when the job was first published
 * @param failedAt when it was moved to the dead-letter stream, or {@code null} if not
 * known
 * @param error the last error
 * @since 0.1.0
 */
public record DeadJob(String id, String type, int attempts, Instant enqueuedAt, @Nullable Instant failedAt,
		String error) {

}
