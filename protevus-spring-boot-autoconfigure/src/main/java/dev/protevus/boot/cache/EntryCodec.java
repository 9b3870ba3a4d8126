package dev.protevus.boot.cache;

import java.nio.ByteBuffer;

import org.springframework.cache.support.NullValue;
import org.springframework.core.serializer.support.SerializationFailedException;

/**
 * The byte layout of an entry in the redis and file tiers: a version byte, a flags byte,
 * the expiry as epoch milliseconds, then the serialized value (absent for a cached
 * {@code null}). Keeping the expiry in the entry lets a lower tier back-fill upper ones
 * with the remaining ttl.
 */
final class EntryCodec {

	static final int HEADER_LENGTH = 10;

	private static final byte VERSION = 1;

	private static final byte NULL_VALUE = 1;

	private final CacheValueSerializer serializer;

	EntryCodec(CacheValueSerializer serializer) {
		this.serializer = serializer;
	}

	byte[] encode(CacheEntry entry) {
		byte[] payload = entry.isNull() ? new byte[0] : this.serializer.serialize(entry.storeValue());
		return ByteBuffer.allocate(HEADER_LENGTH + payload.length)
			.put(VERSION)
			.put(entry.isNull() ? NULL_VALUE : 0)
			.putLong(entry.expiresAt())
			.put(payload)
			.array();
	}

	CacheEntry decode(byte[] bytes) {
		long expiresAt = expiresAt(bytes);
		if ((bytes[1] & NULL_VALUE) != 0) {
			return new CacheEntry(NullValue.INSTANCE, expiresAt);
		}
		byte[] payload = new byte[bytes.length - HEADER_LENGTH];
		System.arraycopy(bytes, HEADER_LENGTH, payload, 0, payload.length);
		return new CacheEntry(this.serializer.deserialize(payload), expiresAt);
	}

	/**
	 * Reads only the expiry from an encoded entry or its header.
	 */
	static long expiresAt(byte[] bytes) {
		if (bytes.length < HEADER_LENGTH || bytes[0] != VERSION) {
			throw new SerializationFailedException("Not a Protevus cache entry (version " + VERSION + ")");
		}
		return ByteBuffer.wrap(bytes, 2, 8).getLong();
	}

}
