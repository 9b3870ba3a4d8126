package dev.protevus.boot.autoconfigure.cache;

import dev.protevus.boot.cache.TieredCacheManager;

/**
 * Adjusts the auto-configured {@link TieredCacheManager} before it is built, for what
 * properties cannot say: a clock, a cache with settings computed in code, another
 * serializer. Applied in {@link org.springframework.core.annotation.Order} order.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface TieredCacheManagerCustomizer {

	/**
	 * Customizes the manager's builder.
	 * @param builder the builder, already holding the settings from properties
	 */
	void customize(TieredCacheManager.Builder builder);

}
