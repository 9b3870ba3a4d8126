package dev.protevus.boot.autoconfigure.cache;

import dev.protevus.boot.autoconfigure.ConditionalOnProtevusEnabled;
import dev.protevus.boot.actuate.cache.CacheTiersEndpoint;
import dev.protevus.boot.cache.TieredCacheManager;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The {@code cachetiers} actuator endpoint, when it is enabled and exposed.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = TieredCacheAutoConfiguration.class)
@ConditionalOnProtevusEnabled
@ConditionalOnBooleanProperty(name = "protevus.cache.enabled", matchIfMissing = true)
@ConditionalOnClass({ ConditionalOnAvailableEndpoint.class, TieredCacheManager.class })
@ConditionalOnAvailableEndpoint(CacheTiersEndpoint.class)
public class CacheTiersEndpointAutoConfiguration {

	@Bean
	@ConditionalOnBean(TieredCacheManager.class)
	@ConditionalOnMissingBean
	CacheTiersEndpoint cacheTiersEndpoint(TieredCacheManager cacheManager) {
		return new CacheTiersEndpoint(cacheManager);
	}

}
