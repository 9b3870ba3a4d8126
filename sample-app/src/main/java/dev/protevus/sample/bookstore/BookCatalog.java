package dev.protevus.sample.bookstore;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import dev.protevus.boot.data.query.BatchInsert;
import dev.protevus.boot.data.query.KeysetPagination;
import dev.protevus.boot.data.query.KeysetPaginations;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.cache.annotation.CacheEvict;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.domain.Sort;
import org.springframework.data.r2dbc.core.R2dbcEntityTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.lang.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.web.server.ResponseStatusException;

/**
 * Books, read through the {@code books} cache. Unknown ids are not cached, so a book
 * created later is found at once.
 */
@Service
class BookCatalog {

	private final BookRepository books;

	private final AuthorRepository authors;

	private final Map<Sort.Direction, KeysetPagination<Book>> byTitle = new EnumMap<>(Sort.Direction.class);

	private final BatchInsert<Book> batchInsert;

	BookCatalog(BookRepository books, AuthorRepository authors, R2dbcEntityTemplate template,
			KeysetPaginations paginations) {
		this.books = books;
		this.authors = authors;
		for (Sort.Direction direction : Sort.Direction.values()) {
			this.byTitle.put(direction, paginations.of(Book.class).orderBy("title", direction));
		}
		this.batchInsert = BatchInsert.of(template, Book.class);
	}

	/**
	 * A page of books ordered by title, seeking past the previous page's last row.
	 */
	public Mono<BookPage> page(@Nullable String after, int limit, Sort.Direction order) {
		return this.byTitle.get(order).page(after, limit).map((page) -> new BookPage(page.items(), page.nextToken()));
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

	/**
	 * Inserts many books in one statement per batch, after checking their authors with
	 * one query.
	 */
	public Flux<Book> createAll(List<NewBook> requests) {
		Set<Long> authorIds = requests.stream().map(NewBook::authorId).collect(Collectors.toCollection(TreeSet::new));
		return this.authors.findAllById(authorIds).map(Author::id).collect(Collectors.toSet()).flatMapMany((found) -> {
			authorIds.removeAll(found);
			if (!authorIds.isEmpty()) {
				return Flux
					.error(new ResponseStatusException(HttpStatus.BAD_REQUEST, "No author with id " + authorIds));
			}
			return this.batchInsert.insertAll(requests.stream().map((request) -> Book.from(null, request)).toList());
		})
			.onErrorMap(DuplicateKeyException.class,
					(ex) -> new ResponseStatusException(HttpStatus.CONFLICT, "A book with one of these ISBNs exists"));
	}

	private Mono<Book> save(Book book) {
		return this.authors.existsById(book.authorId())
			.filter(Boolean::booleanValue)
			.switchIfEmpty(Mono.error(
					() -> new ResponseStatusException(HttpStatus.BAD_REQUEST, "No author with id " + book.authorId())))
			.then(this.books.save(book))
			.onErrorMap(DuplicateKeyException.class, (ex) -> new ResponseStatusException(HttpStatus.CONFLICT,
					"A book with ISBN " + book.isbn() + " exists"));
	}

}
