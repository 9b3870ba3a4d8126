package dev.protevus.sample.bookstore;

import java.util.List;

import dev.protevus.boot.data.relation.Relations;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.data.domain.Sort;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

@RestController
@RequestMapping("/authors")
class AuthorController {

	private final AuthorRepository authors;

	private final Relations relations;

	private final AuthorReports reports;

	AuthorController(AuthorRepository authors, Relations relations, AuthorReports reports) {
		this.authors = authors;
		this.relations = relations;
		this.reports = reports;
	}

	/**
	 * All authors; {@code include=books,books.reviews} loads those relations eagerly, one
	 * statement per relation whatever the number of authors. A path that is not
	 * dot-separated names is a 400 here: {@link Relations} takes it for a programming
	 * error.
	 */
	@GetMapping
	Flux<Author> list(
			@RequestParam(required = false) List<@Pattern(regexp = "[A-Za-z]+(\\.[A-Za-z]+)*") String> include) {
		Flux<Author> all = this.authors.findAll(Sort.by("id"));
		return (include == null || include.isEmpty()) ? all : this.relations.load(all, include.toArray(String[]::new));
	}

	@GetMapping("/{id}")
	Mono<Author> get(@PathVariable @Positive long id) {
		return this.authors.findById(id)
			.switchIfEmpty(
					Mono.error(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No author with id " + id)));
	}

	/**
	 * An author's books, loaded lazily: lazy loads issued together share one statement.
	 */
	@GetMapping("/{id}/books")
	Flux<Book> books(@PathVariable @Positive long id) {
		return get(id).flatMap((author) -> this.relations.<Book>lazy(author, "books"))
			.flatMapIterable((books) -> books);
	}

	/**
	 * What readers think of an author's books. The rows are read here, without blocking;
	 * the summing up runs on the {@code reports} worker pool, and a full pool is a 503
	 * with {@code Retry-After}.
	 */
	@GetMapping("/{id}/report")
	Mono<AuthorReport> report(@PathVariable @Positive long id) {
		return this.relations.load(get(id).flux(), "books", "books.reviews").single().flatMap(this.reports::report);
	}

}
