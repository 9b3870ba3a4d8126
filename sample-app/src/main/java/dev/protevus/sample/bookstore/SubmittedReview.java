package dev.protevus.sample.bookstore;

/**
 * The answer to {@code POST /books/{id}/reviews}: the review is accepted and will be
 * stored by a job, whose id this is.
 *
 * @param jobId the id of the {@code review-submitted} job
 */
public record SubmittedReview(String jobId) {
}
