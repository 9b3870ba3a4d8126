package dev.protevus.sample.bookstore;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.protevus.boot.data.relation.HasMany;

import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.PersistenceCreator;
import org.springframework.data.annotation.Transient;
import org.springframework.data.relational.core.mapping.Table;

/**
 * A writer of books. {@code books} is filled only when asked for
 * ({@code ?include=books}).
 */
@Table("authors")
public record Author(@Id Long id, String name, String country,
		@Transient @HasMany(foreignKey = "author_id") @JsonInclude(JsonInclude.Include.NON_NULL) List<Book> books) {

	@PersistenceCreator
	Author(Long id, String name, String country) {
		this(id, name, country, null);
	}

}
