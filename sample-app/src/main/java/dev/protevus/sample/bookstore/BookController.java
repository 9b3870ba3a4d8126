package dev.protevus.sample.bookstore;

import java.net.URI;

import jakarta.validation.Valid;
import reactor.core.publisher.Mono;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

@RestController
@RequestMapping("/books")
class BookController {

	private final BookRepository books;

	private final AuthorRepository authors;

	BookController(BookRepository books, AuthorRepository authors) {
		this.books = books;
		this.authors = authors;
	}

	@GetMapping("/{id}")
	Mono<Book> get(@PathVariable long id) {
		return this.books.findById(id)
			.switchIfEmpty(Mono.error(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No book with id " + id)));
	}

	@PostMapping
	Mono<ResponseEntity<Book>> create(@Valid @RequestBody NewBook request) {
		return this.authors.existsById(request.authorId())
			.filter(Boolean::booleanValue)
			.switchIfEmpty(Mono.error(() -> new ResponseStatusException(HttpStatus.BAD_REQUEST,
					"No author with id " + request.authorId())))
			.then(this.books.save(Book.from(request)))
			.onErrorMap(DuplicateKeyException.class,
					(ex) -> new ResponseStatusException(HttpStatus.CONFLICT, "A book with ISBN " + request.isbn() + " exists"))
			.map((book) -> ResponseEntity.created(URI.create("/books/" + book.id())).body(book));
	}

}
