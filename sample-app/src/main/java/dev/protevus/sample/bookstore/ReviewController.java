package dev.protevus.sample.bookstore;

import dev.protevus.boot.queue.JobQueue;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Positive;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * Reviews of a book. A new review is not written during the request: it is published as a
 * {@code review-submitted} job and answered {@code 202 Accepted} at once;
 * {@link ReviewListener} stores it on whichever instance takes the job. When the queue's
 * broker (Redis) cannot be reached, the answer is a {@code 503} problem with
 * {@code Retry-After}, from Protevus's problem mapping.
 */
@RestController
@RequestMapping("/books/{id}/reviews")
class ReviewController {

	private final BookCatalog catalog;

	private final ReviewRepository reviews;

	private final JobQueue jobs;

	ReviewController(BookCatalog catalog, ReviewRepository reviews, JobQueue jobs) {
		this.catalog = catalog;
		this.reviews = reviews;
		this.jobs = jobs;
	}

	@GetMapping
	Flux<Review> list(@PathVariable @Positive long id) {
		return existing(id).thenMany(this.reviews.findByBookIdOrderById(id));
	}

	@PostMapping
	Mono<ResponseEntity<SubmittedReview>> submit(@PathVariable @Positive long id,
			@Valid @RequestBody NewReview review) {
		return existing(id)
			.flatMap((book) -> this.jobs.publish(ReviewListener.QUEUE,
					new ReviewSubmitted(id, review.rating(), review.text())))
			.map((jobId) -> ResponseEntity.status(HttpStatus.ACCEPTED).body(new SubmittedReview(jobId)));
	}

	private Mono<Book> existing(long id) {
		return this.catalog.find(id)
			.switchIfEmpty(
					Mono.error(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No book with id " + id)));
	}

}
