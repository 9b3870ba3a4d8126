package dev.protevus.boot.autoconfigure.cache;

import dev.protevus.boot.actuate.cache.LateTieredCacheMetrics;
import dev.protevus.boot.actuate.cache.TieredCacheMeterBinderProvider;
import dev.protevus.boot.autoconfigure.ConditionalOnProtevusEnabled;
import dev.protevus.boot.cache.TieredCacheManager;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.cache.autoconfigure.metrics.CacheMetricsAutoConfiguration;
import org.springframework.boot.cache.metrics.CacheMeterBinderProvider;
import org.springframework.boot.cache.metrics.CacheMetricsRegistrar;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * Meters for the tiered caches: Protevus's per-tier {@code protevus.cache.*} meters, and
 * a {@link CacheMeterBinderProvider} through which Spring Boot's cache metrics show the
 * standard {@code cache.*} meters of every tiered cache, including those created after
 * start-up. Runs before Boot's {@link CacheMetricsAutoConfiguration}, which binds the
 * caches through the providers that exist by then.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = { MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
		TieredCacheAutoConfiguration.class }, before = CacheMetricsAutoConfiguration.class)
@ConditionalOnProtevusEnabled
@ConditionalOnBooleanProperty(name = "protevus.cache.enabled", matchIfMissing = true)
@ConditionalOnClass({ MeterRegistry.class, TieredCacheManager.class, MetricsAutoConfiguration.class })
@ConditionalOnBean({ MeterRegistry.class, TieredCacheManager.class })
@Import({ TieredCacheMetricsAutoConfiguration.CacheMeterBinderProviderConfiguration.class,
		TieredCacheConfigurations.MetricsConfiguration.class })
public class TieredCacheMetricsAutoConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(CacheMeterBinderProvider.class)
	static class CacheMeterBinderProviderConfiguration {

		@Bean
		@ConditionalOnMissingBean
		TieredCacheMeterBinderProvider tieredCacheMeterBinderProvider() {
			return new TieredCacheMeterBinderProvider();
		}

		/**
		 * Boot binds the caches a manager has at start-up; this binds those created
		 * later, under the same {@code cache.manager} tag.
		 */
		@Bean
		LateTieredCacheMetrics lateTieredCacheMetrics(ObjectProvider<CacheMetricsRegistrar> registrar,
				ObjectProvider<MeterRegistry> registry, ListableBeanFactory beanFactory) {
			return new LateTieredCacheMetrics(registrar, registry, beanFactory);
		}

	}

}
