package dev.protevus.sample.bookstore;

import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

/**
 * A writer of books.
 */
@Table("authors")
public record Author(@Id Long id, String name, String country) {
}
