package dev.protevus.sample.bookstore;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.data.domain.Sort;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

@RestController
@RequestMapping("/authors")
class AuthorController {

	private final AuthorRepository authors;

	AuthorController(AuthorRepository authors) {
		this.authors = authors;
	}

	@GetMapping
	Flux<Author> list() {
		return this.authors.findAll(Sort.by("id"));
	}

	@GetMapping("/{id}")
	Mono<Author> get(@PathVariable long id) {
		return this.authors.findById(id)
			.switchIfEmpty(Mono.error(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No author with id " + id)));
	}

}
