package dev.protevus.boot.cache;

import java.time.Duration;

import reactor.core.publisher.Mono;

/**
 * A lock shared by every instance of the application that lets one instance load a
 * missing key of a cache with a cluster lock while the others wait for its value in the
 * shared tiers. A holder that dies loses the lock after {@link #timeout()}.
 *
 * @since 0.1.0
 * @see RedisCacheLoadLock
 */
public interface CacheLoadLock {

	/**
	 * Tries to take the lock that guards loading one key, without waiting for it.
	 * @param cacheName the cache
	 * @param key the key to load
	 * @return the token that {@link #unlock unlocks} it; empty when another instance
	 * holds the lock; an error when the lock cannot tell, in which case the caller loads
	 * without it
	 */
	Mono<String> tryLock(String cacheName, String key);

	/**
	 * Releases a lock taken by {@link #tryLock}, unless it expired and another instance
	 * took it since. Never fails: a lock that cannot be released expires.
	 * @param cacheName the cache
	 * @param key the key that was loaded
	 * @param token the token {@link #tryLock} gave
	 * @return completion
	 */
	Mono<Void> unlock(String cacheName, String key, String token);

	/**
	 * How long the lock is held at most, which is also how long the other instances wait
	 * for the holder's value before loading it themselves.
	 * @return the lock's timeout
	 */
	Duration timeout();

}
