package dev.protevus.boot.autoconfigure.redis;

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
 * user sets still wins.
 */
class RedisHealthEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	static final String PROPERTY_SOURCE_NAME = "protevusRedisHealthDefaults";

	static final String REDIS_HEALTH_ENABLED = "management.health.redis.enabled";

	@Override
	public int getOrder() {
		return ConfigDataEnvironmentPostProcessor.ORDER + 1;
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		boolean protevusEnabled = Binder.get(environment).bind(ProtevusProperties.ENABLED, Boolean.class).orElse(true);
		if (protevusEnabled && !RedisUsage.of(environment).inUse()) {
			environment.getPropertySources()
				.addLast(new MapPropertySource(PROPERTY_SOURCE_NAME, Map.of(REDIS_HEALTH_ENABLED, "false")));
		}
	}

}
