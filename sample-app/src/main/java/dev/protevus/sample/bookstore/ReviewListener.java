package dev.protevus.sample.bookstore;

import java.util.Objects;

import dev.protevus.boot.queue.Job;
import dev.protevus.boot.queue.QueueListener;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;

import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

/**
 * Stores submitted reviews: inserts the review, works the book's average rating out again
 * from all its reviews, and evicts the book from the {@code books} cache (on every
 * instance: the cache's invalidation tells the others). The queue delivers at least once,
 * so each step may run twice: the review's job id is unique, so a second insert is
 * skipped, and the average is recomputed rather than adjusted, so it comes out the same.
 * That is also why no transaction is needed: a job that fails half-way is retried whole.
 */
@Component
class ReviewListener {

	static final String QUEUE = "review-submitted";

	private static final Log logger = LogFactory.getLog(ReviewListener.class);

	private final DatabaseClient database;

	private final Cache books;

	ReviewListener(DatabaseClient database, CacheManager caches) {
		this.database = database;
		this.books = Objects.requireNonNull(caches.getCache("books"), "the books cache");
	}

	@QueueListener(queue = QUEUE)
	Mono<Void> store(ReviewSubmitted review, Job job) {
		return this.database
			.sql("INSERT INTO reviews (book_id, rating, body, job_id) VALUES (:book, :rating, :body, :job)")
			.bind("book", review.bookId())
			.bind("rating", review.rating())
			.bind("body", review.text())
			.bind("job", job.id())
			.fetch()
			.rowsUpdated()
			// Stored by an earlier delivery of the same job.
			.onErrorResume(DuplicateKeyException.class, (ex) -> Mono.just(0L))
			.then(this.database.sql("""
					UPDATE books
					SET average_rating = (SELECT CAST(AVG(CAST(r.rating AS NUMERIC(10, 2))) AS NUMERIC(3, 2))
					                      FROM reviews r WHERE r.book_id = :book)
					WHERE id = :book""").bind("book", review.bookId()).fetch().rowsUpdated())
			// After the update, so that a read in between cannot cache the old book
			// again.
			.then(Mono.fromRunnable(() -> {
				this.books.evict(review.bookId());
				logger.info("Stored review of book " + review.bookId() + " from job " + job.id() + " (attempt "
						+ job.attempt() + ")");
			}));
	}

}
