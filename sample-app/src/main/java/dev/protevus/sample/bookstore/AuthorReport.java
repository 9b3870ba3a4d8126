package dev.protevus.sample.bookstore;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import org.springframework.lang.Nullable;

/**
 * What readers think of an author's books, from {@code GET /authors/{id}/report}. Values
 * that need data the author's books lack (no reviews, no prices, no years) are
 * {@code null}.
 *
 * @param authorId the author's id
 * @param name the author's name
 * @param books how many books the author has
 * @param reviews how many reviews those books have
 * @param averageRating the mean of all their ratings, to two decimals
 * @param ratings how many reviews gave each rating, 1 to 5
 * @param firstPublished the year of the earliest book
 * @param lastPublished the year of the latest book
 * @param medianPrice the median price of the books with a price
 * @param ranking the books, best rated first; books without reviews last
 */
public record AuthorReport(long authorId, String name, int books, int reviews, @Nullable BigDecimal averageRating,
		Map<Integer, Long> ratings, @Nullable Integer firstPublished, @Nullable Integer lastPublished,
		@Nullable BigDecimal medianPrice, List<RankedBook> ranking) {

	/**
	 * One book of the ranking.
	 *
	 * @param id the book's id
	 * @param title the book's title
	 * @param reviews how many reviews it has
	 * @param averageRating the mean of its ratings, to two decimals, or {@code null}
	 * without reviews
	 */
	public record RankedBook(long id, String title, int reviews, @Nullable BigDecimal averageRating) {
	}

}
