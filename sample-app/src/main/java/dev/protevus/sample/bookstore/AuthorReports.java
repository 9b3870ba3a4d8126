package dev.protevus.sample.bookstore;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Comparator;
import java.util.IntSummaryStatistics;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.IntStream;

import dev.protevus.boot.async.Offload;
import dev.protevus.sample.bookstore.AuthorReport.RankedBook;
import reactor.core.publisher.Mono;

import org.springframework.lang.Nullable;
import org.springframework.stereotype.Service;

/**
 * Sums up an author's books and reviews into an {@link AuthorReport}. This is CPU work
 * that grows with an author's backlist, so it runs on the {@code reports} worker pool of
 * {@code application.yml}, never on a Netty event loop, and at most as many reports as
 * that pool has threads are computed at once. When the pool is full the request is
 * answered 503 with {@code Retry-After} at once instead of waiting.
 */
@Service
class AuthorReports {

	/**
	 * Computes the report of an author whose books and their reviews are loaded. With
	 * {@code @Offload} the whole body runs on a {@code protevus-reports-*} thread, each
	 * time the result is subscribed.
	 */
	@Offload("reports")
	public Mono<AuthorReport> report(Author author) {
		List<Book> books = author.books();
		List<Integer> ratings = books.stream().flatMap((book) -> book.reviews().stream()).map(Review::rating).toList();
		Map<Integer, Long> histogram = new TreeMap<>();
		IntStream.rangeClosed(1, 5).forEach((rating) -> histogram.put(rating, 0L));
		ratings.forEach((rating) -> histogram.merge(rating, 1L, Long::sum));
		IntSummaryStatistics years = books.stream()
			.map(Book::publishedYear)
			.filter(Objects::nonNull)
			.mapToInt(Integer::intValue)
			.summaryStatistics();
		List<RankedBook> ranking = books.stream()
			.map((book) -> new RankedBook(book.id(), book.title(), book.reviews().size(),
					average(book.reviews().stream().map(Review::rating).toList())))
			.sorted(Comparator.comparing(RankedBook::averageRating, Comparator.nullsLast(Comparator.reverseOrder()))
				.thenComparing(RankedBook::title)
				.thenComparing(RankedBook::id))
			.toList();
		boolean anyYear = years.getCount() > 0;
		return Mono.just(
				new AuthorReport(author.id(), author.name(), books.size(), ratings.size(), average(ratings), histogram,
						anyYear ? years.getMin() : null, anyYear ? years.getMax() : null, medianPrice(books), ranking));
	}

	@Nullable
	private static BigDecimal average(List<Integer> ratings) {
		if (ratings.isEmpty()) {
			return null;
		}
		int sum = ratings.stream().mapToInt(Integer::intValue).sum();
		return BigDecimal.valueOf(sum).divide(BigDecimal.valueOf(ratings.size()), 2, RoundingMode.HALF_UP);
	}

	@Nullable
	private static BigDecimal medianPrice(List<Book> books) {
		List<BigDecimal> prices = books.stream().map(Book::price).filter(Objects::nonNull).sorted().toList();
		if (prices.isEmpty()) {
			return null;
		}
		int middle = prices.size() / 2;
		if (prices.size() % 2 == 1) {
			return prices.get(middle);
		}
		return prices.get(middle - 1).add(prices.get(middle)).divide(BigDecimal.valueOf(2), 2, RoundingMode.HALF_UP);
	}

}
