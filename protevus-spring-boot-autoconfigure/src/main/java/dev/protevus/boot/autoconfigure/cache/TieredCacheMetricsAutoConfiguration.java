package dev.protevus.boot.autoconfigure.cache;

import dev.protevus.boot.autoconfigure.ConditionalOnProtevusEnabled;
import dev.protevus.boot.cache.TieredCacheManager;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/**
 * Meters for the tiered caches, bound once the registry and the cache manager exist.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = { MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
		TieredCacheAutoConfiguration.class })
@ConditionalOnProtevusEnabled
@ConditionalOnClass({ MeterRegistry.class, TieredCacheManager.class, MetricsAutoConfiguration.class })
@ConditionalOnBean({ MeterRegistry.class, TieredCacheManager.class })
public class TieredCacheMetricsAutoConfiguration {

	@Bean
	TieredCacheMeterBinder tieredCacheMeterBinder(TieredCacheManager cacheManager, MeterRegistry registry) {
		return new TieredCacheMeterBinder(cacheManager, registry);
	}

}
