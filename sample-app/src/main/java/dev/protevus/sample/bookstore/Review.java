package dev.protevus.sample.bookstore;

import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

/**
 * A reader's review of a book.
 */
@Table("reviews")
public record Review(@Id Long id, Long bookId, int rating, String body) {
}
