package dev.protevus.benchmarks.web;

import reactor.core.publisher.Mono;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.data.r2dbc.R2dbcDataAutoConfiguration;
import org.springframework.boot.autoconfigure.data.r2dbc.R2dbcRepositoriesAutoConfiguration;
import org.springframework.boot.autoconfigure.data.redis.RedisAutoConfiguration;
import org.springframework.boot.autoconfigure.data.redis.RedisReactiveAutoConfiguration;
import org.springframework.boot.autoconfigure.r2dbc.R2dbcAutoConfiguration;
import org.springframework.boot.autoconfigure.r2dbc.R2dbcTransactionManagerAutoConfiguration;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * The server under load: one JSON endpoint, {@code GET /books/{id}}, in a WebFlux
 * application that {@link WebThroughput} starts twice, with Protevus on and with
 * {@code protevus.enabled=false}. The database and Redis auto-configurations the
 * benchmark jar would otherwise pick up are excluded in both, so that the two differ only
 * in Protevus.
 *
 * @since 0.1.0
 */
@SpringBootApplication(exclude = { R2dbcAutoConfiguration.class, R2dbcDataAutoConfiguration.class,
		R2dbcRepositoriesAutoConfiguration.class, R2dbcTransactionManagerAutoConfiguration.class,
		RedisAutoConfiguration.class, RedisReactiveAutoConfiguration.class })
@RestController
public class JsonServer {

	@GetMapping("/books/{id}")
	Mono<Book> book(@PathVariable long id) {
		return Mono.just(new Book(id, "The Left Hand of Darkness", "Ursula K. Le Guin", 1969));
	}

	public static void main(String[] args) {
		SpringApplication.run(JsonServer.class, args);
	}

	/**
	 * The endpoint's answer, about as large as a typical small JSON resource.
	 *
	 * @param id the book's id
	 * @param title its title
	 * @param author its author
	 * @param published the year it was published
	 */
	record Book(long id, String title, String author, int published) {
	}

}
