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

	AuthorController(AuthorRepository authors, Relations relations) {
		this.authors = authors;
		this.relations = relations;
	}

	/**
	 * All authors; {@code include=books,books.reviews} loads those relations eagerly, one
	 * statement per relation whatever the number of authors. A path that is not dot-separated
	 * names is a 400 here: {@link Relations} takes it for a programming error.
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
			.switchIfEmpty(Mono.error(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No author with id " + id)));
	}

	/**
	 * An author's books, loaded lazily: lazy loads issued together share one statement.
	 */
	@GetMapping("/{id}/books")
	Flux<Book> books(@PathVariable @Positive long id) {
		return get(id).flatMap((author) -> this.relations.<Book>lazy(author, "books")).flatMapIterable((books) -> books);
	}

}
