package dev.protevus.sample.bookstore;

import java.net.URI;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import reactor.core.publisher.Mono;

import org.springframework.data.domain.Sort;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

@RestController
@RequestMapping("/books")
class BookController {

	private final BookCatalog catalog;

	BookController(BookCatalog catalog) {
		this.catalog = catalog;
	}

	/**
	 * Books by title, a page at a time: {@code after} is the {@code next} of the previous
	 * page, which only fits the {@code order} it was made for. A {@code limit} outside 1
	 * to {@code protevus.data.pagination.max-limit} is a 400 problem from Protevus.
	 */
	@GetMapping
	Mono<BookPage> list(@RequestParam(required = false) String after, @RequestParam(defaultValue = "50") int limit,
			@RequestParam(defaultValue = "ASC") Sort.Direction order) {
		return this.catalog.page(after, limit, order);
	}

	@GetMapping("/{id}")
	Mono<Book> get(@PathVariable @Positive long id) {
		return this.catalog.find(id).switchIfEmpty(Mono.error(() -> notFound(id)));
	}

	@PostMapping
	Mono<ResponseEntity<Book>> create(@Valid @RequestBody NewBook request) {
		return this.catalog.create(request)
			.map((book) -> ResponseEntity.created(URI.create("/books/" + book.id())).body(book));
	}

	/**
	 * Creates up to 1,000 books in one round trip per batch.
	 */
	@PostMapping("/batch")
	Mono<ResponseEntity<List<Book>>> createAll(
			@RequestBody @NotEmpty @Size(max = 1000) List<@NotNull @Valid NewBook> requests) {
		return this.catalog.createAll(requests)
			.collectList()
			.map((books) -> ResponseEntity.status(HttpStatus.CREATED).body(books));
	}

	@PutMapping("/{id}")
	Mono<Book> replace(@PathVariable @Positive long id, @Valid @RequestBody NewBook request) {
		return this.catalog.replace(id, request).switchIfEmpty(Mono.error(() -> notFound(id)));
	}

	private static ResponseStatusException notFound(long id) {
		return new ResponseStatusException(HttpStatus.NOT_FOUND, "No book with id " + id);
	}

}
