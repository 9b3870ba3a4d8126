package dev.protevus.boot.test;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.data.redis.RedisAutoConfiguration;
import org.springframework.boot.autoconfigure.data.redis.RedisConnectionDetails;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A test's own {@link RedisConnectionDetails} bean wins over the one
 * {@link WithTestRedis} registers.
 */
@SpringBootTest
@WithTestRedis
class WithTestRedisOwnConnectionDetailsTests {

	@Test
	void usesTheTestsOwnConnectionDetails(@Autowired RedisConnectionDetails connectionDetails,
			@Autowired LettuceConnectionFactory connectionFactory) {
		assertThat(connectionDetails).isSameAs(Config.OWN);
		assertThat(connectionFactory.getDatabase()).isEqualTo(5);
	}

	@SpringBootConfiguration
	@ImportAutoConfiguration(RedisAutoConfiguration.class)
	static class Config {

		static final RedisConnectionDetails OWN = new RedisConnectionDetails() {

			@Override
			public Standalone getStandalone() {
				return Standalone.of(TestRedis.get().host(), TestRedis.get().port(), 5);
			}

		};

		@Bean
		RedisConnectionDetails ownRedisConnectionDetails() {
			return OWN;
		}

	}

}
