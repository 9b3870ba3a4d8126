package dev.protevus.boot.autoconfigure.cache;

import dev.protevus.boot.autoconfigure.cache.TieredCacheConfigurations.LettuceClientOptionsConfiguration;
import io.lettuce.core.ClientOptions;

import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.data.redis.ClientResourcesBuilderCustomizer;
import org.springframework.boot.autoconfigure.data.redis.LettuceClientOptionsBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Tunes Lettuce for the cache as {@link LettuceClientOptionsConfiguration} says, through
 * Spring Boot's Lettuce customizers. Ordered first, so that the application's own
 * customizers, which run after these, win.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass({ ClientOptions.class, LettuceClientOptionsBuilderCustomizer.class })
@Conditional(RedisInUseCondition.class)
class TieredCacheLettuceConfiguration {

	@Bean
	@Order(Ordered.HIGHEST_PRECEDENCE)
	LettuceClientOptionsBuilderCustomizer protevusCacheLettuceClientOptionsCustomizer() {
		return LettuceClientOptionsConfiguration::clientOptions;
	}

	@Bean
	@Order(Ordered.HIGHEST_PRECEDENCE)
	ClientResourcesBuilderCustomizer protevusCacheLettuceReconnectDelayCustomizer() {
		return LettuceClientOptionsConfiguration::reconnectDelay;
	}

}
