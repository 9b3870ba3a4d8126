package dev.protevus.boot.autoconfigure.cache;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;

import com.github.benmanes.caffeine.cache.Caffeine;
import dev.protevus.boot.autoconfigure.ConditionalOnProtevusEnabled;
import dev.protevus.boot.autoconfigure.InvalidPropertyException;
import dev.protevus.boot.autoconfigure.ProtevusAutoConfiguration;
import dev.protevus.boot.autoconfigure.redis.RedisUsage;
import dev.protevus.boot.cache.CacheInvalidation;
import dev.protevus.boot.cache.CacheLoadLock;
import dev.protevus.boot.cache.CacheTier;
import dev.protevus.boot.cache.CacheValueSerializer;
import dev.protevus.boot.cache.FileTierSupport;
import dev.protevus.boot.cache.MemcachedTierSupport;
import dev.protevus.boot.cache.RedisTierSupport;
import dev.protevus.boot.cache.TieredCacheManager;
import dev.protevus.boot.cache.UnsafeCacheDirectoryException;
import dev.protevus.boot.task.BackgroundScheduler;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.ObjectProvider;
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
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.lang.Nullable;

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
				RedisReactiveAutoConfiguration.class },
		afterName = "io.github.resilience4j.springboot3.circuitbreaker.autoconfigure.CircuitBreakerAutoConfiguration")
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
		TieredCacheConfigurations.LettuceClientOptionsConfiguration.class })
public class TieredCacheAutoConfiguration {

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
	 * A directory of this user and application in the JVM's temporary directory, so that
	 * neither other users nor other applications share it.
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
