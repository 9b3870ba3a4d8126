package dev.protevus.sample.bookstore;

import dev.protevus.boot.queue.JobQueue;
import reactor.core.publisher.Mono;

/**
 * Jobs the chaos scenarios publish straight to the sample's queue, bypassing the checks
 * of {@code POST /books/{id}/reviews}.
 */
public final class ChaosJobs {

	private ChaosJobs() {
	}

	/**
	 * A review of a book that does not exist: its insert breaks the foreign key on every
	 * attempt, so the job ends in the dead-letter stream.
	 * @param jobs the queue to publish on
	 * @param text the review's text, to find the job again
	 * @return the job's id
	 */
	public static Mono<String> poison(JobQueue jobs, String text) {
		return jobs.publish(ReviewListener.QUEUE, new ReviewSubmitted(Long.MAX_VALUE, 1, text));
	}

	/**
	 * The sample's review queue.
	 * @return its name
	 */
	public static String reviewQueue() {
		return ReviewListener.QUEUE;
	}

}
