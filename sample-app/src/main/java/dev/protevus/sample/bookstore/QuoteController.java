package dev.protevus.sample.bookstore;

import jakarta.validation.constraints.Positive;
import reactor.core.publisher.Mono;

import org.springframework.cloud.client.loadbalancer.LoadBalanced;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import org.springframework.web.server.ResponseStatusException;

/**
 * A book's price, asked of the {@code pricing} service through a {@code @LoadBalanced
 * WebClient}: {@code http://pricing/...} names the service, and Spring Cloud
 * LoadBalancer, with Protevus's strategies, health checks and failover, picks the
 * instance.
 */
@RestController
class QuoteController {

	private final WebClient pricing;

	QuoteController(@LoadBalanced WebClient.Builder loadBalancedWebClientBuilder) {
		this.pricing = loadBalancedWebClientBuilder.baseUrl("http://pricing").build();
	}

	@GetMapping("/books/{id}/quote")
	Mono<Quote> quote(@PathVariable @Positive long id) {
		return this.pricing.get()
			.uri("/pricing/books/{id}", id)
			.retrieve()
			.bodyToMono(Quote.class)
			.onErrorMap(WebClientResponseException.NotFound.class,
					(ex) -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No book with id " + id));
	}

}
