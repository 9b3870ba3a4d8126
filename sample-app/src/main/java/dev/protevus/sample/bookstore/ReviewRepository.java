package dev.protevus.sample.bookstore;

import reactor.core.publisher.Flux;

import org.springframework.data.r2dbc.repository.R2dbcRepository;

interface ReviewRepository extends R2dbcRepository<Review, Long> {

	Flux<Review> findByBookIdOrderById(long bookId);

}
