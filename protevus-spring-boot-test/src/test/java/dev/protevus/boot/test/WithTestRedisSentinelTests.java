package dev.protevus.boot.test;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.data.redis.RedisAutoConfiguration;
import org.springframework.boot.autoconfigure.data.redis.RedisReactiveAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link WithTestRedisSentinel} connects a context through the sentinel, which promotes
 * the replica when the master is killed; the client then writes to the new master.
 */
@SpringBootTest(properties = "spring.data.redis.timeout=1s")
@WithTestRedisSentinel
class WithTestRedisSentinelTests {

	@Autowired
	private ReactiveStringRedisTemplate redis;

	@Test
	void connectsThroughTheSentinelAndFollowsAFailover(@Autowired LettuceConnectionFactory connectionFactory) {
		TestRedisSentinel sentinel = TestRedisSentinel.get();
		assertThat(connectionFactory.getSentinelConfiguration()).isNotNull();
		StepVerifier.create(this.redis.opsForValue().set("protevus:test:sentinel", "before"))
			.expectNext(true)
			.verifyComplete();
		int killed = sentinel.killMaster();
		try {
			sentinel.awaitFailover(killed);
			assertThat(sentinel.masterPort()).isNotEqualTo(killed);
			await().atMost(Duration.ofSeconds(30))
				.untilAsserted(
						() -> StepVerifier.create(this.redis.opsForValue().set("protevus:test:sentinel", "after"))
							.expectNext(true)
							.expectComplete()
							.verify(Duration.ofSeconds(5)));
			StepVerifier.create(this.redis.opsForValue().get("protevus:test:sentinel"))
				.expectNext("after")
				.verifyComplete();
		}
		finally {
			sentinel.restartKilled();
		}
	}

	@SpringBootConfiguration
	@ImportAutoConfiguration({ RedisAutoConfiguration.class, RedisReactiveAutoConfiguration.class })
	static class Config {

	}

}
