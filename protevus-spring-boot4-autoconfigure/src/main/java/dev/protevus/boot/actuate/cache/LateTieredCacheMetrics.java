package dev.protevus.boot.actuate.cache;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.cache.metrics.CacheMetricsRegistrar;

/**
 * Binds Spring Boot's cache meters to tiered caches created after Boot's
 * {@code CacheMetricsAutoConfiguration} bound the caches it saw, with the
 * {@code cache.manager} tag Boot gives those.
 *
 * @since 0.1.0
 */
public class LateTieredCacheMetrics implements SmartInitializingSingleton {

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
		LateTieredCacheBindings.bindLaterCaches(this.beanFactory, registry,
				(cache, tag) -> registrar.bindCacheToRegistry(cache, tag));
	}

}
