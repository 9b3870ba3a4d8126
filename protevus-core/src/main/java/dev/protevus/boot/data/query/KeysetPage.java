package dev.protevus.boot.data.query;

import java.util.List;

import org.springframework.lang.Nullable;
import org.springframework.util.Assert;

/**
 * One page read with {@link KeysetPagination}: its items and the cursor of the page after
 * it. There is no total count on purpose, since counting costs a scan that seeking
 * avoids.
 *
 * @param <T> the type of the items
 * @param items the items, in listing order
 * @param next the cursor of the next page, or {@code null} when this page is the last
 * @since 0.1.0
 */
public record KeysetPage<T>(List<T> items, @Nullable Cursor next) {

	/**
	 * Creates a page.
	 * @param items the items, in listing order
	 * @param next the cursor of the next page, or {@code null} when this page is the last
	 */
	public KeysetPage {
		Assert.notNull(items, "items must not be null");
		items = List.copyOf(items);
	}

	/**
	 * Whether another page follows this one.
	 * @return {@code true} if {@link #next()} is not {@code null}
	 */
	public boolean hasNext() {
		return this.next != null;
	}

	/**
	 * The token of the next page's cursor, ready to hand to a client.
	 * @return the token, or {@code null} when this page is the last
	 */
	@Nullable
	public String nextToken() {
		return (this.next != null) ? this.next.encode() : null;
	}

}
