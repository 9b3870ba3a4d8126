package dev.protevus.sample.bookstore;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * The body of {@code POST /books/{id}/reviews}. Line breaks are allowed in the text;
 * {@code NUL}, which PostgreSQL refuses, is not.
 *
 * @param rating from 1 to 5
 * @param text what the reader thinks
 */
public record NewReview(@NotNull @Min(1) @Max(5) Integer rating,
		@NotBlank @Size(max = 2000) @Pattern(regexp = "[^\\x00]*", message = "must not contain NUL") String text) {
}
