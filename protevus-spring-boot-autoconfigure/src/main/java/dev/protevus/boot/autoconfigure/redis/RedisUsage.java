package dev.protevus.boot.autoconfigure.redis;

import java.util.List;
import java.util.Map;

import dev.protevus.boot.autoconfigure.cache.TieredCacheProperties;
import dev.protevus.boot.cache.CacheTier;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.lang.Nullable;

/**
 * Whether the application uses Redis: the one place Protevus decides it, for the cache's
 * Redis configuration, the cache's default tiers and Boot's Redis health indicator.
 * Spring Boot creates a Redis connection factory for {@code localhost:6379} whenever
 * Spring Data Redis is on the class path, which the starter always brings; Protevus
 * treats Redis as in use only when the application says so, by setting one of Boot's
 * {@code spring.data.redis.*} connection keys or by asking for the {@code redis} cache
 * tier.
 *
 * @param connectionConfigured whether any of Boot's Redis connection keys is set
 * @param redisTierRequested whether {@code protevus.cache.tiers} or any
 * {@code protevus.cache.caches.<name>.tiers} lists the redis tier
 * @since 0.1.0
 */
public record RedisUsage(boolean connectionConfigured, boolean redisTierRequested) {

	private static final List<String> CONNECTION_KEYS = List.of("spring.data.redis.url", "spring.data.redis.host",
			"spring.data.redis.port", "spring.data.redis.sentinel.master", "spring.data.redis.sentinel.nodes",
			"spring.data.redis.cluster.nodes");

	/**
	 * Reads the application's use of Redis from its environment, in any property source
	 * and in any relaxed form (such as {@code SPRING_DATA_REDIS_URL}). Tier names are
	 * read as text, so that a misspelt tier fails later with the cache's own message
	 * rather than here.
	 * @param environment the environment to look in
	 * @return how the application uses Redis
	 */
	public static RedisUsage of(Environment environment) {
		Binder binder = Binder.get(environment);
		boolean connection = CONNECTION_KEYS.stream().anyMatch((key) -> binder.bind(key, String.class).isBound());
		boolean tier = binder.bind(TieredCacheProperties.PREFIX, CacheTiers.class)
			.map(CacheTiers::namesRedis)
			.orElse(false);
		return new RedisUsage(connection, tier);
	}

	/**
	 * Whether the application configures Redis or a Protevus feature that needs it.
	 * @return {@code true} when Redis is in use
	 */
	public boolean inUse() {
		return this.connectionConfigured || this.redisTierRequested;
	}

	/**
	 * Says why Redis is, or is not, in use, for condition reports.
	 * @return the reason
	 */
	public String reason() {
		if (this.connectionConfigured) {
			return "a spring.data.redis connection key is set";
		}
		if (this.redisTierRequested) {
			return "a cache asks for the redis tier";
		}
		return "neither spring.data.redis connection keys nor the redis cache tier are set";
	}

	private static boolean namesRedis(@Nullable List<String> tiers) {
		return tiers != null && tiers.stream().anyMatch(CacheTier.REDIS.id()::equalsIgnoreCase);
	}

	/**
	 * The tier lists of {@link TieredCacheProperties}, bound as text under its prefix;
	 * component names follow its properties {@code tiers} and {@code caches}.
	 */
	record CacheTiers(@Nullable List<String> tiers, @Nullable Map<String, NamedCacheTiers> caches) {

		boolean namesRedis() {
			return RedisUsage.namesRedis(this.tiers) || (this.caches != null
					&& this.caches.values().stream().anyMatch((cache) -> RedisUsage.namesRedis(cache.tiers())));
		}

	}

	/**
	 * The tier list of one {@link TieredCacheProperties.NamedCache}.
	 */
	record NamedCacheTiers(@Nullable List<String> tiers) {
	}

}
