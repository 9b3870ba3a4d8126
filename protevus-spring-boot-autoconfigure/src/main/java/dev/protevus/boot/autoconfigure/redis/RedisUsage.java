package dev.protevus.boot.autoconfigure.redis;

import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * Tells whether the application uses Redis. Spring Boot creates a Redis connection
 * factory for {@code localhost:6379} whenever Spring Data Redis is on the class path,
 * which the starter always brings; Protevus treats Redis as in use only when the
 * application says so, by setting one of Boot's {@code spring.data.redis.*} connection
 * keys or by asking for the {@code redis} cache tier.
 *
 * @since 0.1.0
 */
public final class RedisUsage {

	private static final List<String> CONNECTION_KEYS = List.of("spring.data.redis.url", "spring.data.redis.host",
			"spring.data.redis.port", "spring.data.redis.sentinel.master", "spring.data.redis.sentinel.nodes",
			"spring.data.redis.cluster.nodes");

	private static final String REDIS_TIER = "redis";

	private RedisUsage() {
	}

	/**
	 * Whether the application configures Redis or a Protevus feature that needs it, in
	 * any property source and in any relaxed form (such as
	 * {@code SPRING_DATA_REDIS_URL}).
	 * @param environment the environment to look in
	 * @return {@code true} when Redis is in use
	 */
	public static boolean isConfigured(Environment environment) {
		return isConnectionConfigured(environment) || isRedisTierRequested(environment);
	}

	/**
	 * Whether any of Boot's Redis connection keys is set.
	 * @param environment the environment to look in
	 * @return {@code true} when a connection is configured
	 */
	public static boolean isConnectionConfigured(Environment environment) {
		Binder binder = Binder.get(environment);
		return CONNECTION_KEYS.stream().anyMatch((key) -> binder.bind(key, String.class).isBound());
	}

	/**
	 * Whether {@code protevus.cache.tiers} or any
	 * {@code protevus.cache.caches.<name>.tiers} lists the redis tier.
	 * @param environment the environment to look in
	 * @return {@code true} when a cache asks for Redis
	 */
	public static boolean isRedisTierRequested(Environment environment) {
		Binder binder = Binder.get(environment);
		boolean byDefault = binder.bind("protevus.cache.tiers", Bindable.listOf(String.class))
			.map(RedisUsage::namesRedis)
			.orElse(false);
		return byDefault || binder.bind("protevus.cache.caches", Bindable.mapOf(String.class, Tiers.class))
			.orElse(Map.of())
			.values()
			.stream()
			.anyMatch((cache) -> cache.tiers() != null && namesRedis(cache.tiers()));
	}

	private static boolean namesRedis(List<String> tiers) {
		return tiers.stream().anyMatch(REDIS_TIER::equalsIgnoreCase);
	}

	record Tiers(List<String> tiers) {
	}

}
