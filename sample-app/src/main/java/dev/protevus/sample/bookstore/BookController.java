package dev.protevus.sample.bookstore;

import java.net.URI;

import jakarta.validation.Valid;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

@RestController
@RequestMapping("/books")
class BookController {

	private final BookCatalog catalog;

	BookController(BookCatalog catalog) {
		this.catalog = catalog;
	}

	@GetMapping("/{id}")
	Mono<Book> get(@PathVariable long id) {
		return this.catalog.find(id).switchIfEmpty(Mono.error(() -> notFound(id)));
	}

	@PostMapping
	Mono<ResponseEntity<Book>> create(@Valid @RequestBody NewBook request) {
		return this.catalog.create(request).map((book) -> ResponseEntity.created(URI.create("/books/" + book.id())).body(book));
	}

	@PutMapping("/{id}")
	Mono<Book> replace(@PathVariable long id, @Valid @RequestBody NewBook request) {
		return this.catalog.replace(id, request).switchIfEmpty(Mono.error(() -> notFound(id)));
	}

	private static ResponseStatusException notFound(long id) {
		return new ResponseStatusException(HttpStatus.NOT_FOUND, "No book with id " + id);
	}

}
