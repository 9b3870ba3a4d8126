package dev.protevus.sample.bookstore;

import reactor.core.publisher.Mono;

import org.springframework.cache.annotation.CacheEvict;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.web.server.ResponseStatusException;

/**
 * Books, read through the {@code books} cache. Unknown ids are not cached, so a book created
 * later is found at once.
 */
@Service
class BookCatalog {

	private final BookRepository books;

	private final AuthorRepository authors;

	BookCatalog(BookRepository books, AuthorRepository authors) {
		this.books = books;
		this.authors = authors;
	}

	@Cacheable(cacheNames = "books", key = "#id", unless = "#result == null")
	public Mono<Book> find(long id) {
		return this.books.findById(id);
	}

	@CacheEvict(cacheNames = "books", key = "#result.id()")
	public Mono<Book> create(NewBook request) {
		return save(Book.from(null, request));
	}

	@CacheEvict(cacheNames = "books", key = "#id")
	public Mono<Book> replace(long id, NewBook request) {
		return this.books.existsById(id)
			.filter(Boolean::booleanValue)
			.flatMap((exists) -> save(Book.from(id, request)));
	}

	private Mono<Book> save(Book book) {
		return this.authors.existsById(book.authorId())
			.filter(Boolean::booleanValue)
			.switchIfEmpty(Mono.error(() -> new ResponseStatusException(HttpStatus.BAD_REQUEST,
					"No author with id " + book.authorId())))
			.then(this.books.save(book))
			.onErrorMap(DuplicateKeyException.class,
					(ex) -> new ResponseStatusException(HttpStatus.CONFLICT, "A book with ISBN " + book.isbn() + " exists"));
	}

}
