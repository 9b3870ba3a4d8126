package dev.protevus.sample.bookstore;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

/**
 * The body of {@code POST /cart/items}.
 *
 * @param bookId the book to add
 */
public record NewCartItem(@NotNull @Positive Long bookId) {
}
