package dev.protevus.boot.autoconfigure.cache;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.spotify.folsom.AsciiMemcacheClient;
import com.spotify.folsom.ExponentialBackoff;
import com.spotify.folsom.MemcacheClientBuilder;
import dev.protevus.boot.actuate.cache.TieredCacheMeterBinder;
import dev.protevus.boot.autoconfigure.InvalidPropertyException;
import dev.protevus.boot.autoconfigure.PropertyChecks;
import dev.protevus.boot.autoconfigure.ProtevusJson;
import dev.protevus.boot.autoconfigure.redis.RedisUsage;
import dev.protevus.boot.cache.CacheInvalidation;
import dev.protevus.boot.cache.CacheLoadLock;
import dev.protevus.boot.cache.CacheTier;
import dev.protevus.boot.cache.CacheValueSerializer;
import dev.protevus.boot.cache.FileTierSupport;
import dev.protevus.boot.cache.JsonCacheValueSerializer;
import dev.protevus.boot.cache.MemcachedTierSupport;
import dev.protevus.boot.cache.RedisCacheInvalidation;
import dev.protevus.boot.cache.RedisCacheLoadLock;
import dev.protevus.boot.cache.RedisTierSupport;
import dev.protevus.boot.cache.TieredCacheManager;
import dev.protevus.boot.cache.UnsafeCacheDirectoryException;
import dev.protevus.boot.resilience.LockFreeCircuitBreakers;
import dev.protevus.boot.task.BackgroundScheduler;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.lang.Nullable;

/**
 * The parts of tiered caching that depend on optional libraries, each in its own
 * configuration.
 */
abstract class TieredCacheConfigurations {

	/**
	 * Name of the resilience4j circuit breaker shared by every Redis tier; configure it
	 * with {@code resilience4j.circuitbreaker.instances.protevus-cache-redis.*}.
	 */
	static final String CIRCUIT_BREAKER = "protevus-cache-redis";

	static String keyPrefix(TieredCacheProperties properties, Environment environment) {
		if (properties.getKeyPrefix() != null) {
			return properties.getKeyPrefix();
		}
		String applicationName = environment.getProperty("spring.application.name");
		return (applicationName != null && !applicationName.isBlank()) ? applicationName + ":" : "";
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(ObjectMapper.class)
	static class JsonSerializerConfiguration {

		@Bean
		@ConditionalOnMissingBean(CacheValueSerializer.class)
		JsonCacheValueSerializer cacheValueSerializer(ObjectProvider<ObjectMapper> objectMapper,
				TieredCacheProperties properties, BeanFactory beanFactory) {
			return new JsonCacheValueSerializer(ProtevusJson.mapper(objectMapper),
					ProtevusJson.allowedPackages(properties.getSerialization().getAllowedPackages(), beanFactory));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ ReactiveRedisConnectionFactory.class, CircuitBreaker.class, CircuitBreakerOperator.class })
	@ConditionalOnBean(ReactiveRedisConnectionFactory.class)
	@Conditional(RedisInUseCondition.class)
	static class RedisTierConfiguration {

		@Bean
		@ConditionalOnMissingBean
		RedisTierSupport redisTierSupport(ReactiveRedisConnectionFactory connectionFactory,
				TieredCacheProperties properties, Environment environment,
				ObjectProvider<CircuitBreakerRegistry> circuitBreakers) {
			TieredCacheProperties.Redis redis = properties.getRedis();
			return new RedisTierSupport(connectionFactory, keyPrefix(properties, environment), redis.getTimeout(),
					redis.getLockTimeout(), maxValueSize(redis),
					LockFreeCircuitBreakers.get(circuitBreakers.getIfAvailable(), CIRCUIT_BREAKER,
							TieredCacheConfigurations::remoteTierBreakerDefaults));
		}

		private static long maxValueSize(TieredCacheProperties.Redis redis) {
			return (redis.getMaxValueSize() != null && redis.getMaxValueSize().toBytes() > 0)
					? redis.getMaxValueSize().toBytes() : RedisTierSupport.DEFAULT_MAX_VALUE_SIZE;
		}

		@Bean
		@ConditionalOnMissingBean(CacheLoadLock.class)
		RedisCacheLoadLock cacheLoadLock(RedisTierSupport redisTierSupport) {
			return new RedisCacheLoadLock(redisTierSupport);
		}

		@Bean
		@ConditionalOnMissingBean(CacheInvalidation.class)
		@ConditionalOnBooleanProperty(name = "protevus.cache.redis.invalidation.enabled", matchIfMissing = true)
		RedisCacheInvalidation cacheInvalidation(RedisTierSupport redisTierSupport,
				ReactiveRedisConnectionFactory connectionFactory, TieredCacheProperties properties) {
			return new RedisCacheInvalidation(redisTierSupport, connectionFactory,
					properties.getRedis().getInvalidation().getChannel());
		}

	}

	/**
	 * Name of the resilience4j circuit breaker shared by every memcached tier; configure
	 * it with {@code resilience4j.circuitbreaker.instances.protevus-cache-memcached.*}.
	 */
	static final String MEMCACHED_CIRCUIT_BREAKER = "protevus-cache-memcached";

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ AsciiMemcacheClient.class, CircuitBreaker.class, CircuitBreakerOperator.class })
	@Conditional(MemcachedTierCondition.class)
	static class MemcachedTierConfiguration {

		/**
		 * Longest wait between two attempts to reconnect to a memcached server that went
		 * away; folsom's own default is a minute.
		 */
		private static final long MAX_RECONNECT_DELAY_MILLIS = 1000;

		@Bean
		@ConditionalOnMissingBean
		MemcachedTierSupport memcachedTierSupport(TieredCacheProperties properties, Environment environment,
				ObjectProvider<CircuitBreakerRegistry> circuitBreakers,
				ObjectProvider<MemcachedClientCustomizer> customizers) {
			TieredCacheProperties.Memcached memcached = properties.getMemcached();
			Duration timeout = PropertyChecks.positive(CacheSettingsResolver.PREFIX + "memcached.timeout",
					memcached.getTimeout(), "250ms");
			MemcacheClientBuilder<byte[]> builder = MemcacheClientBuilder.newByteArrayClient();
			MemcachedServers.parse(memcached.getServers())
				.forEach((server) -> builder.withAddress(server.host(), server.port()));
			// Replies complete on folsom's event loop rather than hop to a thread pool:
			// the tier only decodes on them and never blocks.
			builder.withReplyExecutor(null).withBackoff(new ExponentialBackoff(10, MAX_RECONNECT_DELAY_MILLIS, 2.5));
			customizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
			return new MemcachedTierSupport(builder.connectAscii(), keyPrefix(properties, environment), timeout,
					LockFreeCircuitBreakers.get(circuitBreakers.getIfAvailable(), MEMCACHED_CIRCUIT_BREAKER,
							TieredCacheConfigurations::remoteTierBreakerDefaults));
		}

	}

	/**
	 * The breaker settings of a remote tier (Redis, memcached) that the application does
	 * not configure: it opens after repeated failures and probes the server again soon.
	 */
	static CircuitBreakerConfig remoteTierBreakerDefaults() {
		return CircuitBreakerConfig.custom()
			.slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
			.slidingWindowSize(20)
			.minimumNumberOfCalls(10)
			.failureRateThreshold(50)
			.waitDurationInOpenState(Duration.ofSeconds(2))
			.permittedNumberOfCallsInHalfOpenState(3)
			.build();
	}

	/**
	 * Protevus's per-tier {@code protevus.cache.*} meters.
	 */
	@Configuration(proxyBeanMethods = false)
	static class MetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		TieredCacheMeterBinder tieredCacheMeterBinder(TieredCacheManager cacheManager) {
			return new TieredCacheMeterBinder(cacheManager);
		}

	}

	/**
	 * What each line's {@code TieredCacheLettuceConfiguration} applies to Lettuce, whose
	 * customizer types Spring Boot 4 moved: a bounded request queue and rejected commands
	 * while disconnected, so that a hung or unreachable Redis fails cache operations at
	 * once instead of buffering them on the heap, and a capped wait between reconnection
	 * attempts, so that Redis is used again soon after it returns.
	 */
	static final class LettuceClientOptionsConfiguration {

		/**
		 * Commands Lettuce holds per connection, sent or waiting to be, before it rejects
		 * more.
		 */
		static final int REQUEST_QUEUE_SIZE = 4096;

		/**
		 * The longest wait between two of Lettuce's reconnection attempts. Lettuce's own
		 * default doubles the wait up to 30 s, so that after an outage of some seconds it
		 * may wait as long again after Redis is back, while the cache's Redis tier and
		 * invalidation stay off; one attempt a second costs nothing.
		 */
		static final Duration MAX_RECONNECT_DELAY = Duration.ofSeconds(1);

		private LettuceClientOptionsConfiguration() {
		}

		static void clientOptions(ClientOptions.Builder options) {
			options.requestQueueSize(REQUEST_QUEUE_SIZE)
				.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
		}

		/**
		 * Reconnects at least once every {@link #MAX_RECONNECT_DELAY}, doubling from 1 ms
		 * as Lettuce does.
		 */
		static void reconnectDelay(ClientResources.Builder resources) {
			resources.reconnectDelay(Delay.exponential(Duration.ZERO, MAX_RECONNECT_DELAY, 2, TimeUnit.MILLISECONDS));
		}

	}

	/**
	 * The tiered cache manager, over the tiers the configurations before it provide.
	 */
	@Configuration(proxyBeanMethods = false)
	static class TieredCacheManagerConfiguration {

		@Bean
		TieredCacheManager cacheManager(TieredCacheProperties properties, Environment environment,
				ObjectProvider<CacheValueSerializer> serializer, ObjectProvider<RedisTierSupport> redisTierSupport,
				ObjectProvider<CacheLoadLock> loadLock, ObjectProvider<CacheInvalidation> invalidation,
				ObjectProvider<BackgroundScheduler> backgroundScheduler,
				ObjectProvider<TieredCacheManagerCustomizer> customizers,
				ObjectProvider<MemcachedTierSupport> memcachedTierSupport) {
			RedisTierSupport redis = redisTierSupport.getIfAvailable();
			MemcachedTierSupport memcached = memcachedTierSupport.getIfAvailable();
			CacheSettingsResolver resolver = new CacheSettingsResolver(properties, redis != null,
					RedisUsage.of(environment), memcached != null);
			TieredCacheManager.Builder builder = TieredCacheManager.builder(resolver.defaults());
			resolver.caches().forEach(builder::cache);
			serializer.ifAvailable(builder::serializer);
			loadLock.ifAvailable(builder::loadLock);
			invalidation.ifAvailable(builder::invalidation);
			if (redis != null) {
				builder.redis(redis);
			}
			if (memcached != null) {
				builder.memcached(memcached);
			}
			if (resolver.usedTiers().contains(CacheTier.FILE)) {
				builder.file(fileTierSupport(properties, environment, backgroundScheduler.getObject()));
			}
			customizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
			return builder.build();
		}

		/**
		 * Lets plain {@code @Cacheable} methods load through the tiered caches
		 * ({@code protevus.cache.coalesce-loads}).
		 */
		@Bean
		static CoalescingCacheInterceptorPostProcessor coalescingCacheInterceptorPostProcessor() {
			return new CoalescingCacheInterceptorPostProcessor();
		}

		private static FileTierSupport fileTierSupport(TieredCacheProperties properties, Environment environment,
				BackgroundScheduler backgroundScheduler) {
			Path directory = (properties.getFile().getDirectory() != null) ? properties.getFile().getDirectory()
					: defaultFileDirectory(environment);
			try {
				return new FileTierSupport(directory, properties.getFile().getMaximumSize().toBytes(),
						TieredCacheConfigurations.keyPrefix(properties, environment), Clock.systemUTC(),
						backgroundScheduler);
			}
			catch (UncheckedIOException ex) {
				throw new InvalidPropertyException(CacheSettingsResolver.PREFIX + "file.directory", directory,
						"the file tier cannot create or write it (" + ex.getCause() + ")",
						"Set '" + CacheSettingsResolver.PREFIX
								+ "file.directory' to a directory the application can write, or remove file from the tiers.");
			}
			catch (UnsafeCacheDirectoryException ex) {
				throw new InvalidPropertyException(CacheSettingsResolver.PREFIX + "file.directory", directory,
						"the directory " + ex.getProblem() + " (owner '" + ex.getOwner() + "', permissions "
								+ ((ex.getPermissions() != null) ? ex.getPermissions() : "not POSIX")
								+ "); another local user could delete cache entries or plant entries that would be served",
						"Make '" + directory + "' a directory (not a symbolic link) owned by '" + ex.getExpectedOwner()
								+ "' that only its owner can write (chmod 700), or set '" + CacheSettingsResolver.PREFIX
								+ "file.directory' to such a directory, or leave it unset for a private one in "
								+ System.getProperty("java.io.tmpdir") + ".");
			}
		}

		/**
		 * A directory of this user and application in the JVM's temporary directory, so
		 * that neither other users nor other applications share it.
		 */
		static Path defaultFileDirectory(Environment environment) {
			String application = environment.getProperty("spring.application.name", "application");
			return Path.of(System.getProperty("java.io.tmpdir"),
					"protevus-cache-" + safeName(System.getProperty("user.name")) + "-" + safeName(application));
		}

		private static String safeName(@Nullable String name) {
			return (name == null || name.isBlank()) ? "unknown" : name.replaceAll("[^A-Za-z0-9._-]", "_");
		}

	}

}
