package dev.protevus.boot.cache;

import java.time.Duration;

import dev.protevus.boot.RedisTopology;
import dev.protevus.boot.resilience.LockFreeCircuitBreakers;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInfo;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The tier contract on the redis tier, against the real standalone Redis of
 * protevus-spring-boot-test; {@link RedisClusterTierStoreTests} runs it on the cluster.
 */
class RedisTierStoreTests extends AbstractTierStoreTests {

	private static LettuceConnectionFactory connectionFactory;

	@BeforeAll
	static void connect(TestInfo test) {
		// Connected before the first test, whose first operation would otherwise wait
		// for it.
		connectionFactory = RedisTopology.of(test).connectionFactory();
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
				Duration.ofSeconds(2), CircuitBreaker.of("redis-store-test",
						LockFreeCircuitBreakers.lockFree(CircuitBreakerConfig.ofDefaults())));
		return support.createStore(cacheName, settings, this.codec, this.clock);
	}

	@Override
	CacheTier tier() {
		return CacheTier.REDIS;
	}

}
