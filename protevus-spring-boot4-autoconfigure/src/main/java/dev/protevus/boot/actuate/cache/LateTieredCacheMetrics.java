package dev.protevus.boot.actuate.cache;

import java.util.List;

import dev.protevus.boot.cache.TieredCacheManager;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.cache.metrics.CacheMetricsRegistrar;
import org.springframework.util.StringUtils;

/**
 * Binds Spring Boot's cache meters to tiered caches created after Boot's
 * {@code CacheMetricsAutoConfiguration} bound the caches it saw, with the
 * {@code cache.manager} tag Boot gives those.
 *
 * @since 0.1.0
 */
public class LateTieredCacheMetrics implements SmartInitializingSingleton {

	private static final String CACHE_MANAGER_SUFFIX = "cacheManager";

	private final ObjectProvider<CacheMetricsRegistrar> registrar;

	private final ObjectProvider<MeterRegistry> registry;

	private final ListableBeanFactory beanFactory;

	/**
	 * Creates the binder.
	 * @param registrar Boot's registrar of cache meters
	 * @param registry the meter registry
	 * @param beanFactory where the tiered cache managers are
	 */
	public LateTieredCacheMetrics(ObjectProvider<CacheMetricsRegistrar> registrar,
			ObjectProvider<MeterRegistry> registry, ListableBeanFactory beanFactory) {
		this.registrar = registrar;
		this.registry = registry;
		this.beanFactory = beanFactory;
	}

	@Override
	public void afterSingletonsInstantiated() {
		CacheMetricsRegistrar registrar = this.registrar.getIfUnique();
		MeterRegistry registry = this.registry.getIfAvailable();
		if (registrar == null || registry == null) {
			return;
		}
		this.beanFactory.getBeansOfType(TieredCacheManager.class).forEach((beanName, cacheManager) -> {
			Tag cacheManagerTag = Tag.of("cache.manager", cacheManagerName(beanName));
			cacheManager.onCacheCreated((cache) -> {
				// Re-binding a cache Boot bound already would only log warnings.
				if (registry.find("cache.puts")
					.tags("cache", cache.getName())
					.tags(List.of(cacheManagerTag))
					.meter() == null) {
					registrar.bindCacheToRegistry(cache, cacheManagerTag);
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
