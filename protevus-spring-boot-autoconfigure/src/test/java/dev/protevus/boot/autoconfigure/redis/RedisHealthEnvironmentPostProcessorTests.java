package dev.protevus.boot.autoconfigure.redis;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

class RedisHealthEnvironmentPostProcessorTests {

	private final RedisHealthEnvironmentPostProcessor postProcessor = new RedisHealthEnvironmentPostProcessor();

	@Test
	void turnsRedisHealthOffWhenNoRedisIsConfigured() {
		MockEnvironment environment = new MockEnvironment();
		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty("management.health.redis.enabled")).isEqualTo("false");
	}

	@Test
	void leavesRedisHealthAloneWhenARedisUrlIsConfigured() {
		MockEnvironment environment = new MockEnvironment().withProperty("spring.data.redis.url", "redis://cache:6379");
		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.containsProperty("management.health.redis.enabled")).isFalse();
	}

	@Test
	void recognisesRedisConfiguredThroughEnvironmentVariables() {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources()
			.replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
					new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
							Map.of("SPRING_DATA_REDIS_HOST", "cache")));
		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.containsProperty("management.health.redis.enabled")).isFalse();
	}

	@Test
	void leavesRedisHealthAloneWhenACacheAsksForTheRedisTier() {
		MockEnvironment environment = new MockEnvironment().withProperty("protevus.cache.caches.books.tiers",
				"memory,redis");
		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.containsProperty("management.health.redis.enabled")).isFalse();
	}

	@Test
	void turnsRedisHealthOffWhenCachesUseOtherTiersOnly() {
		MockEnvironment environment = new MockEnvironment().withProperty("protevus.cache.tiers[0]", "memory")
			.withProperty("protevus.cache.caches.reports.tiers", "file");
		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty("management.health.redis.enabled")).isEqualTo("false");
	}

	@Test
	void userSettingWinsOverTheDefault() {
		MockEnvironment environment = new MockEnvironment().withProperty("management.health.redis.enabled", "true");
		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty("management.health.redis.enabled")).isEqualTo("true");
	}

	@Test
	void turnsLettucesClusterTopologyRefreshOnUnlessTheUserSetsIt() {
		MockEnvironment defaults = new MockEnvironment();
		MockEnvironment own = new MockEnvironment()
			.withProperty("spring.data.redis.lettuce.cluster.refresh.adaptive", "false")
			.withProperty("spring.data.redis.lettuce.cluster.refresh.period", "5m");
		this.postProcessor.postProcessEnvironment(defaults, new SpringApplication());
		this.postProcessor.postProcessEnvironment(own, new SpringApplication());
		assertThat(defaults.getProperty("spring.data.redis.lettuce.cluster.refresh.adaptive")).isEqualTo("true");
		assertThat(defaults.getProperty("spring.data.redis.lettuce.cluster.refresh.period")).isEqualTo("10s");
		assertThat(own.getProperty("spring.data.redis.lettuce.cluster.refresh.adaptive")).isEqualTo("false");
		assertThat(own.getProperty("spring.data.redis.lettuce.cluster.refresh.period")).isEqualTo("5m");
	}

	@Test
	void doesNothingWhenProtevusIsDisabled() {
		MockEnvironment environment = new MockEnvironment().withProperty("protevus.enabled", "false");
		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.containsProperty("management.health.redis.enabled")).isFalse();
		assertThat(environment.containsProperty("spring.data.redis.repositories.enabled")).isFalse();
	}

	@Test
	void turnsRedisRepositoriesOffWhetherOrNotRedisIsConfigured() {
		MockEnvironment withoutRedis = new MockEnvironment();
		MockEnvironment withRedis = new MockEnvironment().withProperty("spring.data.redis.url", "redis://cache:6379");
		this.postProcessor.postProcessEnvironment(withoutRedis, new SpringApplication());
		this.postProcessor.postProcessEnvironment(withRedis, new SpringApplication());
		assertThat(withoutRedis.getProperty("spring.data.redis.repositories.enabled")).isEqualTo("false");
		assertThat(withRedis.getProperty("spring.data.redis.repositories.enabled")).isEqualTo("false");
	}

	@Test
	void userSettingOfRedisRepositoriesWins() {
		MockEnvironment environment = new MockEnvironment().withProperty("spring.data.redis.repositories.enabled",
				"true");
		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty("spring.data.redis.repositories.enabled", Boolean.class)).isTrue();
	}

}
