package dev.protevus.boot.autoconfigure.cache;


import com.github.benmanes.caffeine.cache.Caffeine;
import dev.protevus.boot.autoconfigure.ConditionalOnProtevusEnabled;
import dev.protevus.boot.autoconfigure.ProtevusAutoConfiguration;
import dev.protevus.boot.cache.TieredCacheManager;
import io.github.resilience4j.springboot3.circuitbreaker.autoconfigure.CircuitBreakerAutoConfiguration;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.cache.CacheAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.data.redis.RedisAutoConfiguration;
import org.springframework.boot.autoconfigure.data.redis.RedisReactiveAutoConfiguration;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cache.CacheManager;
import org.springframework.cache.interceptor.CacheAspectSupport;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Import;

/**
 * Provides a {@link TieredCacheManager} to applications that use {@code @EnableCaching}:
 * each cache reads through memory, Redis, memcached and file tiers as
 * {@code protevus.cache.*} says. Backs off to a {@link CacheManager} of the application's
 * own, to {@code spring.cache.type}, and to {@code protevus.cache.enabled=false}.
 *
 * @since 0.1.0
 */
@AutoConfiguration(before = CacheAutoConfiguration.class,
		after = { ProtevusAutoConfiguration.class, JacksonAutoConfiguration.class, RedisAutoConfiguration.class,
				RedisReactiveAutoConfiguration.class,
				CircuitBreakerAutoConfiguration.class })
@ConditionalOnProtevusEnabled
@ConditionalOnClass({ CacheManager.class, Caffeine.class, Mono.class })
@ConditionalOnBean(CacheAspectSupport.class)
@ConditionalOnMissingBean(value = CacheManager.class, name = "cacheResolver")
@ConditionalOnBooleanProperty(name = "protevus.cache.enabled", matchIfMissing = true)
@Conditional(SpringCacheTypeCondition.class)
@EnableConfigurationProperties(TieredCacheProperties.class)
@Import({ TieredCacheConfigurations.JsonSerializerConfiguration.class,
		TieredCacheConfigurations.RedisTierConfiguration.class,
		TieredCacheConfigurations.MemcachedTierConfiguration.class,
		TieredCacheLettuceConfiguration.class, TieredCacheConfigurations.TieredCacheManagerConfiguration.class })
public class TieredCacheAutoConfiguration {

}
