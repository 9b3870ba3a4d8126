package dev.protevus.boot.test;

import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.data.redis.RedisAutoConfiguration;
import org.springframework.boot.autoconfigure.data.redis.RedisConnectionDetails;
import org.springframework.boot.autoconfigure.data.redis.RedisReactiveAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A test whose own properties point {@code spring.data.redis.*} at a port nobody listens
 * on still reaches {@link TestRedis}: {@link WithTestRedis} registers connection details,
 * which Boot prefers to the properties, and leaves the properties alone.
 */
@SpringBootTest(
		properties = { "spring.data.redis.host=127.0.0.1", "spring.data.redis.port=1", "spring.data.redis.database=3" })
@WithTestRedis
class WithTestRedisConnectionDetailsTests {

	@Autowired
	private ReactiveStringRedisTemplate redis;

	@Autowired
	private Environment environment;

	@Test
	void connectsToTheTestServerWhateverTheTestsPropertiesSay(@Autowired LettuceConnectionFactory connectionFactory) {
		assertThat(connectionFactory.getPort()).isEqualTo(TestRedis.get().port());
		assertThat(connectionFactory.getDatabase()).isZero();
		StepVerifier
			.create(this.redis.opsForValue()
				.set("protevus:test:connection-details", "reached")
				.then(this.redis.opsForValue().get("protevus:test:connection-details")))
			.expectNext("reached")
			.verifyComplete();
	}

	@Test
	void registersConnectionDetailsAndLeavesTheTestsPropertiesAsTheyAre(
			@Autowired RedisConnectionDetails connectionDetails) {
		assertThat(connectionDetails).isInstanceOf(TestRedisConnectionDetails.class);
		assertThat(this.environment.getProperty("spring.data.redis.port")).isEqualTo("1");
	}

	@SpringBootConfiguration
	@ImportAutoConfiguration({ RedisAutoConfiguration.class, RedisReactiveAutoConfiguration.class })
	static class Config {

	}

}
