package dev.protevus.sample.bookstore;

import java.math.BigDecimal;

import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

/**
 * A book, written by one author.
 */
@Table("books")
public record Book(@Id Long id, Long authorId, String title, String isbn, Integer publishedYear, BigDecimal price) {

	static Book from(Long id, NewBook request) {
		return new Book(id, request.authorId(), request.title().strip(), request.isbn(), request.publishedYear(),
				request.price());
	}

}
