package dev.protevus.boot.cache;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.springframework.cache.support.NullValue;
import org.springframework.core.serializer.support.SerializationFailedException;

/**
 * The layout of an entry in the redis and file tiers: a text header of fixed length, then
 * the serialized value, so that {@code redis-cli GET} shows the expiry and the JSON as
 * they are:
 *
 * <pre>
 * pv2 1767225600000 v {"@class":"com.example.Book","id":1,"title":"Dune"}
 * pv2 1767225600000 n
 * </pre>
 *
 * The header is {@code pv2}, the expiry as epoch milliseconds in 13 digits, and {@code v}
 * when a value follows or {@code n} for a cached {@code null}, each followed by a space.
 * Keeping the expiry in the entry lets a lower tier back-fill upper ones with the
 * remaining ttl. Entries of the earlier binary layout (a version byte 1, a flags byte,
 * the expiry as 8 bytes) are still read.
 */
final class EntryCodec {

	/**
	 * Length of the header of the current layout, and the most bytes that
	 * {@link #expiresAt(byte[])} reads.
	 */
	static final int HEADER_LENGTH = 20;

	private static final byte[] MAGIC = "pv2 ".getBytes(StandardCharsets.US_ASCII);

	private static final int EXPIRY_DIGITS = 13;

	/**
	 * The latest expiry 13 digits hold (in the year 2286); later ones are stored as this.
	 */
	private static final long MAX_EXPIRY = 9_999_999_999_999L;

	private static final byte VALUE = 'v';

	private static final byte NULL = 'n';

	private static final int BINARY_HEADER_LENGTH = 10;

	private static final byte BINARY_VERSION = 1;

	private static final byte BINARY_NULL_VALUE = 1;

	private final CacheValueSerializer serializer;

	EntryCodec(CacheValueSerializer serializer) {
		this.serializer = serializer;
	}

	byte[] encode(CacheEntry entry) {
		byte[] payload = entry.isNull() ? new byte[0] : this.serializer.serialize(entry.storeValue());
		byte[] bytes = new byte[HEADER_LENGTH + payload.length];
		System.arraycopy(MAGIC, 0, bytes, 0, MAGIC.length);
		long expiresAt = Math.min(Math.max(entry.expiresAt(), 0), MAX_EXPIRY);
		for (int i = MAGIC.length + EXPIRY_DIGITS - 1; i >= MAGIC.length; i--) {
			bytes[i] = (byte) ('0' + (expiresAt % 10));
			expiresAt /= 10;
		}
		bytes[MAGIC.length + EXPIRY_DIGITS] = ' ';
		bytes[MAGIC.length + EXPIRY_DIGITS + 1] = entry.isNull() ? NULL : VALUE;
		bytes[HEADER_LENGTH - 1] = ' ';
		System.arraycopy(payload, 0, bytes, HEADER_LENGTH, payload.length);
		return bytes;
	}

	CacheEntry decode(byte[] bytes) {
		long expiresAt = expiresAt(bytes);
		boolean binary = isBinary(bytes);
		boolean isNull = binary ? (bytes[1] & BINARY_NULL_VALUE) != 0 : bytes[HEADER_LENGTH - 2] == NULL;
		if (isNull) {
			return new CacheEntry(NullValue.INSTANCE, expiresAt);
		}
		int headerLength = binary ? BINARY_HEADER_LENGTH : HEADER_LENGTH;
		byte[] payload = new byte[bytes.length - headerLength];
		System.arraycopy(bytes, headerLength, payload, 0, payload.length);
		return new CacheEntry(this.serializer.deserialize(payload), expiresAt);
	}

	/**
	 * Reads only the expiry from an encoded entry or its first {@link #HEADER_LENGTH}
	 * bytes.
	 */
	static long expiresAt(byte[] bytes) {
		if (isBinary(bytes)) {
			return ByteBuffer.wrap(bytes, 2, 8).getLong();
		}
		if (bytes.length < HEADER_LENGTH || !startsWithMagic(bytes) || bytes[MAGIC.length + EXPIRY_DIGITS] != ' '
				|| (bytes[HEADER_LENGTH - 2] != VALUE && bytes[HEADER_LENGTH - 2] != NULL)
				|| bytes[HEADER_LENGTH - 1] != ' ') {
			throw new SerializationFailedException("Not a Protevus cache entry (header 'pv2 <expiry> v|n ')");
		}
		long expiresAt = 0;
		for (int i = MAGIC.length; i < MAGIC.length + EXPIRY_DIGITS; i++) {
			int digit = bytes[i] - '0';
			if (digit < 0 || digit > 9) {
				throw new SerializationFailedException("Not a Protevus cache entry (expiry is not a number)");
			}
			expiresAt = expiresAt * 10 + digit;
		}
		return expiresAt;
	}

	private static boolean isBinary(byte[] bytes) {
		return bytes.length >= BINARY_HEADER_LENGTH && bytes[0] == BINARY_VERSION;
	}

	private static boolean startsWithMagic(byte[] bytes) {
		for (int i = 0; i < MAGIC.length; i++) {
			if (bytes[i] != MAGIC[i]) {
				return false;
			}
		}
		return true;
	}

}
