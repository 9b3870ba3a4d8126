package dev.protevus.boot.queue;

import java.time.Instant;

/**
 * What a listener knows of the job it runs, besides its payload.
 *
 * @param id the job's id, the same on every attempt and after a move to the dead-letter
 * stream and back
 * @param queue the queue's name
 * @param attempt which attempt this is, from 1
 * @param enqueuedAt when the job was first published
 * @since 0.1.0
 */
public record Job(String id, String queue, int attempt, Instant enqueuedAt) {

}
