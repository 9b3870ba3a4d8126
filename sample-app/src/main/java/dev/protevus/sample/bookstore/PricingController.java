package dev.protevus.sample.bookstore;

import jakarta.validation.constraints.Positive;
import reactor.core.publisher.Mono;

import org.springframework.core.env.Environment;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * The {@code pricing} service: a downstream service in a real system, served here by the
 * sample itself so that the load-balanced call runs with no setup.
 */
@RestController
class PricingController {

	private final BookCatalog catalog;

	private final Environment environment;

	PricingController(BookCatalog catalog, Environment environment) {
		this.catalog = catalog;
		this.environment = environment;
	}

	@GetMapping("/pricing/books/{id}")
	Mono<Quote> quote(@PathVariable @Positive long id) {
		String servedBy = "port " + this.environment.getProperty("local.server.port", "unknown");
		return this.catalog.find(id)
			.map((book) -> new Quote(id, book.price(), "EUR", servedBy))
			.switchIfEmpty(
					Mono.error(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No book with id " + id)));
	}

}
