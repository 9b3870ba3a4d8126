package dev.protevus.boot.test;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.data.redis.RedisAutoConfiguration;
import org.springframework.boot.autoconfigure.data.redis.RedisReactiveAutoConfiguration;
import org.springframework.boot.autoconfigure.r2dbc.R2dbcAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.boot.autoconfigure.data.r2dbc.R2dbcDataAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest
@WithTestPostgres
@WithTestRedis
class TestServersTests {

	@Autowired
	private DatabaseClient database;

	@Autowired
	private ReactiveStringRedisTemplate redis;

	@Test
	void contextRunsSqlOnTheEmbeddedPostgres() {
		assertThat(TestPostgres.get().isEmbedded()).isTrue();
		StepVerifier
			.create(this.database.sql("SELECT current_database() || ' ' || version()")
				.map((row) -> row.get(0, String.class))
				.one())
			.assertNext((answer) -> assertThat(answer).startsWith("postgres PostgreSQL"))
			.verifyComplete();
	}

	@Test
	void contextRunsCommandsOnTheEmbeddedRedis() {
		assertThat(TestRedis.get().isEmbedded()).isTrue();
		StepVerifier
			.create(this.redis.opsForValue()
				.set("protevus:test:greeting", "hello", Duration.ofMinutes(1))
				.then(this.redis.opsForValue().get("protevus:test:greeting")))
			.expectNext("hello")
			.verifyComplete();
	}

	@Test
	void springTestsWarnAboutNPlusOneQueriesByDefault(@Autowired org.springframework.core.env.Environment environment) {
		assertThat(environment.getProperty("protevus.data.n-plus-one")).isEqualTo("warn");
	}

	@Test
	void redisUrlIsALowestPrecedenceSignalAndPostgresNeedsNoProperty(
			@Autowired org.springframework.core.env.ConfigurableEnvironment environment) {
		// Protevus tells from spring.data.redis.* whether an application uses Redis.
		assertThat(environment.getProperty("spring.data.redis.url")).isEqualTo(TestRedis.get().url());
		java.util.List<String> sources = environment.getPropertySources()
			.stream()
			.map((source) -> source.getName())
			.toList();
		assertThat(sources.indexOf(TestServersContextCustomizer.PROPERTY_SOURCE_NAME))
			.isGreaterThan(sources.indexOf("systemEnvironment"));
		assertThat(environment.getProperty("spring.r2dbc.url")).isNull();
	}

	@Test
	void serversListenOnTheirOwnFreePorts() {
		assertThat(TestPostgres.get().port()).isNotEqualTo(5432).isPositive();
		assertThat(TestRedis.get().port()).isNotEqualTo(6379).isPositive();
	}

	@SpringBootConfiguration
	@ImportAutoConfiguration({ R2dbcAutoConfiguration.class, R2dbcDataAutoConfiguration.class,
			RedisAutoConfiguration.class, RedisReactiveAutoConfiguration.class })
	static class Config {

	}

}
