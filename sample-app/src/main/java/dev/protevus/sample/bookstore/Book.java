package dev.protevus.sample.bookstore;

import java.math.BigDecimal;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.protevus.boot.data.relation.HasMany;

import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.PersistenceCreator;
import org.springframework.data.annotation.ReadOnlyProperty;
import org.springframework.data.annotation.Transient;
import org.springframework.data.relational.core.mapping.Table;

/**
 * A book, written by one author. {@code averageRating} is kept by the review listener
 * ({@link ReviewListener}) and never written from a request; {@code reviews} is filled
 * only when asked for.
 */
@Table("books")
public record Book(@Id Long id, Long authorId, String title, String isbn, Integer publishedYear, BigDecimal price,
		@ReadOnlyProperty @JsonInclude(JsonInclude.Include.NON_NULL) BigDecimal averageRating,
		@Transient @HasMany(foreignKey = "book_id") @JsonInclude(JsonInclude.Include.NON_NULL) List<Review> reviews) {

	@PersistenceCreator
	Book(Long id, Long authorId, String title, String isbn, Integer publishedYear, BigDecimal price,
			BigDecimal averageRating) {
		this(id, authorId, title, isbn, publishedYear, price, averageRating, null);
	}

	static Book from(Long id, NewBook request) {
		// A validated price has at most two decimals, so this never rounds; it turns
		// 1E+2, whose
		// scale of -2 H2 cannot store, into 100.00.
		BigDecimal price = (request.price() != null) ? request.price().setScale(2) : null;
		return new Book(id, request.authorId(), request.title().strip(), request.isbn(), request.publishedYear(), price,
				null);
	}

}
