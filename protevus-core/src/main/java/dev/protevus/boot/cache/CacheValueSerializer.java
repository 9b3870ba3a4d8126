package dev.protevus.boot.cache;

import org.springframework.core.serializer.support.SerializationFailedException;

/**
 * Turns cached values into bytes for the redis and file tiers and back. Reading must
 * never instantiate a type the application did not allow: a payload that names one is an
 * error, which the tier treats as a miss.
 *
 * @since 0.1.0
 * @see JsonCacheValueSerializer
 */
public interface CacheValueSerializer {

	/**
	 * Writes a non-null value.
	 * @param value the value
	 * @return its bytes
	 * @throws SerializationFailedException when the value cannot or may not be written
	 */
	byte[] serialize(Object value);

	/**
	 * Reads a value written by {@link #serialize(Object)}.
	 * @param bytes the bytes
	 * @return the value
	 * @throws SerializationFailedException when the bytes are not a value of an allowed
	 * type
	 */
	Object deserialize(byte[] bytes);

}
