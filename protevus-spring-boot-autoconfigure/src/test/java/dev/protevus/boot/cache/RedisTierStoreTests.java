package dev.protevus.boot.cache;

import java.time.Duration;

import dev.protevus.boot.test.TestRedis;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import org.springframework.data.redis.connection.ReactiveRedisConnection;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The tier contract on the redis tier, against the real Redis of
 * protevus-spring-boot-test.
 */
class RedisTierStoreTests extends AbstractTierStoreTests {

	private static LettuceConnectionFactory connectionFactory;

	@BeforeAll
	static void connect() {
		TestRedis server = TestRedis.get();
		connectionFactory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration(server.host(), server.port()));
		connectionFactory.afterPropertiesSet();
		connectionFactory.start();
		// Connects before the first test, whose first operation would otherwise wait for
		// it.
		ReactiveRedisConnection connection = connectionFactory.getReactiveConnection();
		connection.ping().block(Duration.ofSeconds(30));
		connection.close();
	}

	@AfterAll
	static void disconnect() {
		connectionFactory.destroy();
	}

	@Override
	protected Duration expiryTolerance() {
		// Freshness comes from Redis's PTTL, which has run on by the time of the read.
		return Duration.ofSeconds(1);
	}

	@Override
	TierStore store(String prefix, String cacheName, TieredCacheSettings settings) {
		RedisTierSupport support = new RedisTierSupport(connectionFactory, prefix, Duration.ofSeconds(2),
				Duration.ofSeconds(2), CircuitBreaker.ofDefaults("redis-store-test"));
		return support.createStore(cacheName, settings, this.codec, this.clock);
	}

	@Override
	CacheTier tier() {
		return CacheTier.REDIS;
	}

}
