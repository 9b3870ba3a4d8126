package dev.protevus.sample.bookstore;

/**
 * The payload of a {@code review-submitted} job: a validated review of a book that
 * existed when it was submitted. Its package is the application's, so the queue's payload
 * allowlist admits it without configuration.
 *
 * @param bookId the book
 * @param rating from 1 to 5
 * @param text the review's text
 */
public record ReviewSubmitted(long bookId, int rating, String text) {
}
