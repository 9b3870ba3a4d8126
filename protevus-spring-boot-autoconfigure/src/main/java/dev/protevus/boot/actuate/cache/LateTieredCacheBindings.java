package dev.protevus.boot.actuate.cache;

import java.util.List;
import java.util.function.BiConsumer;

import dev.protevus.boot.cache.TieredCacheManager;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.cache.Cache;
import org.springframework.util.StringUtils;

/**
 * What {@link LateTieredCacheMetrics} does on both Spring Boot lines, whose cache metrics
 * registrar is in different packages: binds each tiered cache created later to the
 * registry, under the {@code cache.manager} tag Boot gives the caches it binds.
 */
final class LateTieredCacheBindings {

	private static final String CACHE_MANAGER_SUFFIX = "cacheManager";

	private LateTieredCacheBindings() {
	}

	/**
	 * Binds every cache the tiered cache managers of a bean factory create from now on,
	 * unless it is bound already.
	 * @param beanFactory where the tiered cache managers are
	 * @param registry the meter registry
	 * @param binder binds a cache with the cache manager's tag, as Boot's registrar does
	 */
	static void bindLaterCaches(ListableBeanFactory beanFactory, MeterRegistry registry,
			BiConsumer<Cache, Tag> binder) {
		beanFactory.getBeansOfType(TieredCacheManager.class).forEach((beanName, cacheManager) -> {
			Tag cacheManagerTag = Tag.of("cache.manager", cacheManagerName(beanName));
			cacheManager.onCacheCreated((cache) -> {
				// Re-binding a cache Boot bound already would only log warnings.
				if (registry.find("cache.puts")
					.tags("cache", cache.getName())
					.tags(List.of(cacheManagerTag))
					.meter() == null) {
					binder.accept(cache, cacheManagerTag);
				}
			});
		});
	}

	/**
	 * The name Boot's cache metrics give a cache manager bean: without a trailing
	 * {@code cacheManager}.
	 */
	private static String cacheManagerName(String beanName) {
		if (beanName.length() > CACHE_MANAGER_SUFFIX.length()
				&& StringUtils.endsWithIgnoreCase(beanName, CACHE_MANAGER_SUFFIX)) {
			return beanName.substring(0, beanName.length() - CACHE_MANAGER_SUFFIX.length());
		}
		return beanName;
	}

}
