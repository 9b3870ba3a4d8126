package dev.protevus.boot.autoconfigure.redis;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.protevus.boot.autoconfigure.ProtevusProperties;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Keeps an application that configures no Redis healthy without one: the starter brings
 * Spring Data Redis, for which Boot would otherwise report the health of
 * {@code localhost:6379}. Adds {@code management.health.redis.enabled=false} as a
 * lowest-precedence default unless Redis is in use ({@link RedisUsage}), so any value the
 * user sets still wins. In the same way it turns Spring Data Redis repositories off
 * ({@code spring.data.redis.repositories.enabled=false}): Protevus brings Redis for its
 * cache tier, and with R2DBC on the class path too, Redis's repository scanning would log
 * a line for every R2DBC repository it has to skip.
 * <p>
 * On a Redis Cluster, Boot leaves Lettuce's topology refresh off, so after a replica is
 * promoted Lettuce would keep sending the failed master's slots to it: the cache would
 * skip Redis for those slots and their queues would stop until a restart.
 * Lowest-precedence defaults of Boot's own keys turn adaptive refresh (on persistent
 * reconnects, redirects and uncovered slots) and a periodic refresh on; they apply only
 * in cluster mode.
 */
class RedisHealthEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	static final String PROPERTY_SOURCE_NAME = "protevusRedisHealthDefaults";

	static final String REDIS_HEALTH_ENABLED = "management.health.redis.enabled";

	static final String REDIS_REPOSITORIES_ENABLED = "spring.data.redis.repositories.enabled";

	static final String CLUSTER_REFRESH_ADAPTIVE = "spring.data.redis.lettuce.cluster.refresh.adaptive";

	static final String CLUSTER_REFRESH_PERIOD = "spring.data.redis.lettuce.cluster.refresh.period";

	@Override
	public int getOrder() {
		return ConfigDataEnvironmentPostProcessor.ORDER + 1;
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		boolean protevusEnabled = Binder.get(environment).bind(ProtevusProperties.ENABLED, Boolean.class).orElse(true);
		if (!protevusEnabled) {
			return;
		}
		Map<String, Object> defaults = new LinkedHashMap<>();
		defaults.put(REDIS_REPOSITORIES_ENABLED, "false");
		defaults.put(CLUSTER_REFRESH_ADAPTIVE, "true");
		defaults.put(CLUSTER_REFRESH_PERIOD, "10s");
		if (!RedisUsage.of(environment).inUse()) {
			defaults.put(REDIS_HEALTH_ENABLED, "false");
		}
		environment.getPropertySources().addLast(new MapPropertySource(PROPERTY_SOURCE_NAME, defaults));
	}

}
