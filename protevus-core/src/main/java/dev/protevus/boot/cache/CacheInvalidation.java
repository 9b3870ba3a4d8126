package dev.protevus.boot.cache;

import reactor.core.Disposable;

import org.springframework.lang.Nullable;

/**
 * Tells the other instances of the application that an entry (or a whole cache) changed,
 * so that they drop it from their memory tier.
 *
 * @since 0.1.0
 * @see RedisCacheInvalidation
 */
public interface CacheInvalidation {

	/**
	 * Announces a change, without waiting for delivery.
	 * @param cacheName the cache
	 * @param key the key that changed, or {@code null} when the whole cache was cleared
	 */
	void publish(String cacheName, @Nullable String key);

	/**
	 * Receives the changes announced by other instances, never this instance's own.
	 * @param listener called with the cache name and the key, {@code null} for a whole
	 * cache
	 * @return what stops the subscription
	 */
	Disposable subscribe(Listener listener);

	/**
	 * Receives one change announced by another instance.
	 */
	@FunctionalInterface
	interface Listener {

		void invalidate(String cacheName, @Nullable String key);

		/**
		 * Changes may have been missed: the channel was cut off (a restart of Redis, a
		 * network blip) and is receiving again. The listener should drop what it cannot
		 * trust, such as the memory tier of every cache whose changes come over the
		 * channel. Does nothing by default.
		 */
		default void missedChanges() {
		}

	}

}
