package dev.protevus.boot.autoconfigure.redis;

import java.util.List;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * Tells whether the application says where its Redis is. Spring Boot creates a Redis
 * connection factory for {@code localhost:6379} whenever Spring Data Redis is on the class
 * path; Protevus uses Redis (and reports on it) only when one of Boot's
 * {@code spring.data.redis.*} connection keys is set.
 *
 * @since 0.1.0
 */
public final class RedisConnectionSettings {

	private static final List<String> CONNECTION_KEYS = List.of("spring.data.redis.url", "spring.data.redis.host",
			"spring.data.redis.port", "spring.data.redis.sentinel.master", "spring.data.redis.sentinel.nodes",
			"spring.data.redis.cluster.nodes");

	private RedisConnectionSettings() {
	}

	/**
	 * Whether any of Boot's Redis connection keys is set, in any property source and in any of
	 * its relaxed forms (such as {@code SPRING_DATA_REDIS_URL}).
	 * @param environment the environment to look in
	 * @return {@code true} when the application configures a Redis connection
	 */
	public static boolean areSet(Environment environment) {
		Binder binder = Binder.get(environment);
		return CONNECTION_KEYS.stream().anyMatch((key) -> binder.bind(key, String.class).isBound());
	}

}
