package dev.protevus.boot.cache;

import reactor.core.publisher.Mono;

/**
 * The single-key commands of a cache hit, miss, write and eviction, and the invalidation
 * message that follows a write or an eviction, on one shared connection: on Lettuce's own
 * reactive API when the connection factory lets it be reproduced faithfully
 * ({@link LettuceTierCommands}), otherwise on Spring Data's reactive connection
 * ({@link SpringDataTierCommands}). Keys and values are the same bytes either way.
 * <p>
 * The message goes on the same connection as the write, so that a standalone Redis runs
 * them in the order sent: another instance that drops its copy when told, and reads Redis
 * again, reads the new value, not the one the write was about to replace.
 */
interface RedisTierCommands {

	/**
	 * Reads a value: {@code GET}.
	 * @param key the key
	 * @return the value, empty when the key does not exist
	 */
	Mono<byte[]> get(byte[] key);

	/**
	 * Reads a value and its remaining time, in one round trip: {@code GET} and
	 * {@code PTTL}.
	 * @param key the key
	 * @return the value and its remaining time, empty when the key does not exist
	 */
	Mono<ValueWithTtl> getWithTtl(byte[] key);

	/**
	 * Writes a value that expires: {@code SET key value PX ttl}.
	 * @param key the key
	 * @param value the value
	 * @param ttlMillis how long Redis keeps it, in milliseconds
	 * @return {@code true} once Redis stored it
	 */
	Mono<Boolean> set(byte[] key, byte[] value, long ttlMillis);

	/**
	 * Deletes a key: {@code UNLINK}.
	 * @param key the key
	 * @return how many keys were deleted
	 */
	Mono<Long> unlink(byte[] key);

	/**
	 * Sends a message to a channel's subscribers: {@code PUBLISH}.
	 * @param channel the channel
	 * @param message the message
	 * @return how many subscribers received it
	 */
	Mono<Long> publish(byte[] channel, byte[] message);

	/**
	 * Closes what these commands opened themselves.
	 * @return completes once closed
	 */
	Mono<Void> close();

	/**
	 * A value and its remaining time in Redis.
	 *
	 * @param value the value
	 * @param ttlMillis what {@code PTTL} answered: milliseconds left, {@code -1} without
	 * expiry, {@code -2} when the key expired between the two commands
	 */
	record ValueWithTtl(byte[] value, long ttlMillis) {

	}

}
