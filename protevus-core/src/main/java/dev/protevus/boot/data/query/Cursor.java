package dev.protevus.boot.data.query;

import org.springframework.data.domain.Sort;
import org.springframework.util.Assert;

/**
 * A position in a listing read with {@link KeysetPagination}: the sort the listing uses
 * and the sort value and id of the last row already read. {@link #encode()} turns it into
 * an opaque, URL-safe token to hand to clients, and {@link #decode(String)} reads one
 * back, rejecting any token it did not write.
 * <p>
 * A token is Base64URL of a small JSON document followed by a CRC-32 of it. The checksum
 * catches tokens that were truncated or edited by hand; it is not a signature, and needs
 * none: a cursor only says where a page starts, and the pagination's own criteria still
 * apply to every row.
 *
 * @param sortProperty the property the listing is sorted by, the id property when it is
 * sorted by id alone
 * @param direction the direction of the sort, which the id follows as the tie-breaker
 * @param sortValue the last row's sort value; after {@link #decode(String) decoding} it
 * is a JSON scalar ({@code String}, {@code Long}, {@code BigInteger}, {@code BigDecimal}
 * or {@code Boolean}), which the pagination converts to the property's type
 * @param id the last row's id, decoded like the sort value
 * @since 0.1.0
 */
public record Cursor(String sortProperty, Sort.Direction direction, Object sortValue, Object id) {

	/**
	 * Creates a cursor.
	 * @param sortProperty the property the listing is sorted by
	 * @param direction the direction of the sort
	 * @param sortValue the last row's sort value
	 * @param id the last row's id
	 */
	public Cursor {
		Assert.hasText(sortProperty, "sortProperty must not be empty");
		Assert.notNull(direction, "direction must not be null");
		Assert.notNull(sortValue, "sortValue must not be null");
		Assert.notNull(id, "id must not be null");
	}

	/**
	 * Returns the cursor as an opaque token that is safe to put in a URL unescaped.
	 * @return the token
	 * @throws IllegalArgumentException if the sort value or id is not written as a JSON
	 * string, number or boolean
	 */
	public String encode() {
		return CursorTokens.encode(this);
	}

	/**
	 * Reads a token made by {@link #encode()}.
	 * @param token the token
	 * @return the cursor
	 * @throws InvalidCursorException if the token is empty, malformed, truncated or
	 * edited
	 */
	public static Cursor decode(String token) {
		return CursorTokens.decode(token);
	}

	boolean isFor(String property, Sort.Direction direction) {
		return this.sortProperty.equals(property) && this.direction == direction;
	}

}
