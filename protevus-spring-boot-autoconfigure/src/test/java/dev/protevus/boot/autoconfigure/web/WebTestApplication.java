package dev.protevus.boot.autoconfigure.web;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Valid;
import jakarta.validation.Validator;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.ResponseStatusException;

/**
 * The endpoints the web layer's tests call: an annotated controller (registered as a
 * member class) and functional routes that answer, fail, or wait as a test asks.
 */
@Configuration(proxyBeanMethods = false)
class WebTestApplication {

	@Bean
	Gate gate() {
		return new Gate();
	}

	@Bean
	RouterFunction<ServerResponse> functionalRoutes(Gate gate, ObjectProvider<Validator> validator) {
		return RouterFunctions.route()
			.GET("/fn/books/{id}", (request) -> ServerResponse.ok().bodyValue(new Book(request.pathVariable("id"))))
			.POST("/fn/books",
					(request) -> request.bodyToMono(Book.class).flatMap((book) -> ServerResponse.ok().bodyValue(book)))
			.POST("/fn/checked-books", (request) -> request.bodyToMono(Book.class).flatMap((book) -> {
				Set<ConstraintViolation<Book>> violations = validator.getObject().validate(book);
				return violations.isEmpty() ? ServerResponse.ok().bodyValue(book)
						: Mono.error(new ConstraintViolationException(violations));
			}))
			.GET("/fn/boom", (request) -> Mono.error(new IllegalStateException("dev.protevus.secret.Vault is locked")))
			.GET("/fn/busy", (request) -> Mono.error(new PoolFullException()))
			.GET("/fn/hold", (request) -> gate.pass().then(ServerResponse.ok().bodyValue("passed")))
			// Where the actuator's health endpoint would be.
			.GET("/actuator/health/liveness", (request) -> ServerResponse.ok().bodyValue(Map.of("status", "UP")))
			.build();
	}

	record Book(@NotBlank @Size(max = 20) String title) {
	}

	/**
	 * What the async feature's worker pools throw when they are full.
	 */
	static class PoolFullException extends RejectedExecutionException {

		PoolFullException() {
			super("Worker pool dev.protevus.async.cpu is full (queue 100/100)");
		}

	}

	@ResponseStatus(code = HttpStatus.CONFLICT, reason = "The book is being edited")
	static class BookLockedException extends RuntimeException {

	}

	/**
	 * Holds requests until a test opens it, and counts the requests that reached it.
	 */
	static class Gate {

		private final AtomicReference<Sinks.Empty<Void>> sink = new AtomicReference<>(Sinks.empty());

		private final AtomicInteger arrived = new AtomicInteger();

		private final AtomicInteger cancelled = new AtomicInteger();

		Mono<Void> pass() {
			return Mono.defer(() -> {
				this.arrived.incrementAndGet();
				return this.sink.get().asMono();
			}).doOnCancel(this.cancelled::incrementAndGet);
		}

		void open() {
			this.sink.getAndSet(Sinks.empty()).tryEmitEmpty();
		}

		int arrived() {
			return this.arrived.get();
		}

		int cancelled() {
			return this.cancelled.get();
		}

		/**
		 * Sends a request that the gate will hold, on a thread of its own (not the common
		 * pool, which has a single thread on a 2-core machine, so a second held request
		 * would never start) and with a response timeout longer than the test needs to
		 * open the gate.
		 * @param client the client
		 * @param request the request, sent with a client whose response timeout is 30 s
		 * @return the response's status code, once the gate is open
		 */
		static CompletableFuture<Integer> hold(WebTestClient client,
				Function<WebTestClient, WebTestClient.RequestHeadersSpec<?>> request) {
			WebTestClient patient = client.mutate().responseTimeout(Duration.ofSeconds(30)).build();
			CompletableFuture<Integer> status = new CompletableFuture<>();
			Thread thread = new Thread(() -> {
				try {
					status.complete(request.apply(patient).exchange().returnResult(String.class).getStatus().value());
				}
				catch (Throwable ex) {
					status.completeExceptionally(ex);
				}
			}, "held-request");
			thread.setDaemon(true);
			thread.start();
			return status;
		}

	}

	@RestController
	static class BookController {

		private final Gate gate;

		BookController(Gate gate) {
			this.gate = gate;
		}

		@GetMapping("/books/{id}")
		Mono<Book> book(@PathVariable long id) {
			if (id == 0) {
				return Mono.error(new ResponseStatusException(HttpStatus.NOT_FOUND, "No book with id 0"));
			}
			return Mono.just(new Book("Book " + id));
		}

		@GetMapping("/books")
		Flux<Book> books(@RequestParam(defaultValue = "3") int count, @RequestParam(defaultValue = "10") int size) {
			String title = "x".repeat(size);
			return Flux.range(0, count).map((i) -> new Book(title));
		}

		@PostMapping("/books")
		Mono<Book> create(@Valid @RequestBody Book book) {
			return Mono.just(book);
		}

		@GetMapping("/search")
		Mono<String> search(@RequestParam @Min(1) int page) {
			return Mono.just("page " + page);
		}

		@GetMapping("/own-cache-control")
		ResponseEntity<Book> ownCacheControl() {
			return ResponseEntity.ok().header(HttpHeaders.CACHE_CONTROL, "no-store").body(new Book("Own"));
		}

		@GetMapping("/own-etag")
		ResponseEntity<Book> ownEtag() {
			return ResponseEntity.ok().eTag("\"v7\"").body(new Book("Tagged"));
		}

		@GetMapping(path = "/text", produces = MediaType.TEXT_PLAIN_VALUE)
		Mono<String> text() {
			return Mono.just("plain text");
		}

		@GetMapping(path = "/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
		Flux<Map<String, Integer>> events() {
			return Flux.range(1, 3).map((i) -> Map.of("n", i));
		}

		@GetMapping("/boom")
		Mono<Book> boom() {
			return Mono.error(new IllegalStateException("Connection to jdbc:secret failed in dev.protevus.Internal"));
		}

		@GetMapping("/busy")
		Mono<Book> busy() {
			return Mono.error(new IllegalStateException("wrapped", new PoolFullException()));
		}

		@GetMapping("/locked")
		Mono<Book> locked() {
			return Mono.error(new BookLockedException());
		}

		@GetMapping("/hold")
		Mono<List<String>> hold() {
			return this.gate.pass().thenReturn(List.of("passed"));
		}

	}

}
