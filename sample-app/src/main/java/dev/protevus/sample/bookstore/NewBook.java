package dev.protevus.sample.bookstore;

import java.math.BigDecimal;

import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

/**
 * The body of {@code POST /books} and {@code PUT /books/{id}}. Titles exclude control
 * characters, which PostgreSQL would refuse ({@code NUL}) or readers would not see.
 */
public record NewBook(@NotNull @Positive Long authorId,
		@NotBlank @Size(max = 300) @Pattern(regexp = "\\P{Cntrl}*",
				message = "must not contain control characters") String title,
		@Pattern(regexp = "[0-9X-]{10,17}") String isbn, @Min(1450) @Max(2100) Integer publishedYear,
		@DecimalMin("0.00") @Digits(integer = 8, fraction = 2) BigDecimal price) {
}
