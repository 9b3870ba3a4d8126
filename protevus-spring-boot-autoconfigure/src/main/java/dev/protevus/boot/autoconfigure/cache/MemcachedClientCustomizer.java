package dev.protevus.boot.autoconfigure.cache;

import com.spotify.folsom.MemcacheClientBuilder;

/**
 * Adjusts the folsom client of the memcached tier before it connects, for what properties
 * cannot say: authentication, TLS, metrics, an event loop of the application's own.
 * Applied in {@link org.springframework.core.annotation.Order} order, after the servers,
 * timeouts and bounds from {@code protevus.cache.memcached.*}.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface MemcachedClientCustomizer {

	/**
	 * Customizes the client's builder.
	 * @param builder the builder
	 */
	void customize(MemcacheClientBuilder<byte[]> builder);

}
