package dev.protevus.boot.cache;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import reactor.core.publisher.Mono;

import org.springframework.data.redis.connection.RedisStringCommands.SetOption;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.data.redis.core.types.Expiration;
import org.springframework.util.Assert;

/**
 * A {@link CacheLoadLock} in Redis: {@code SET NX PX} of a random token under the key
 * prefix, released by a script that deletes the key only while it still holds that token.
 * It shares the Redis tiers' connection, timeout and circuit breaker.
 *
 * @since 0.1.0
 */
public final class RedisCacheLoadLock implements CacheLoadLock {

	private static final ByteBuffer UNLOCK = ByteBuffer
		.wrap("if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end"
			.getBytes(StandardCharsets.UTF_8));

	private final RedisTierSupport redis;

	/**
	 * Creates the lock.
	 * @param redis the Redis tiers' shared support, whose connection, key prefix,
	 * timeouts and circuit breaker the lock uses
	 */
	public RedisCacheLoadLock(RedisTierSupport redis) {
		Assert.notNull(redis, "redis must not be null");
		this.redis = redis;
	}

	@Override
	public Mono<String> tryLock(String cacheName, String key) {
		// Not UUID.randomUUID(): SecureRandom may read /dev/urandom, which blocks an
		// event loop.
		String token = Long.toHexString(ThreadLocalRandom.current().nextLong())
				+ Long.toHexString(ThreadLocalRandom.current().nextLong());
		ByteBuffer lockKey = lockKey(cacheName, key);
		return this.redis
			.execute((connection) -> connection.stringCommands()
				.set(lockKey, RedisTierSupport.bytes(token), Expiration.from(timeout()), SetOption.ifAbsent()))
			.transform((operation) -> this.redis.bounded(operation, this.redis.timeout()))
			.transformDeferred(CircuitBreakerOperator.of(this.redis.circuitBreaker()))
			.filter(Boolean::booleanValue)
			.map((acquired) -> token);
	}

	@Override
	public Mono<Void> unlock(String cacheName, String key, String token) {
		ByteBuffer lockKey = lockKey(cacheName, key);
		return this.redis
			.executeMany((connection) -> connection.scriptingCommands()
				.<Long>eval(UNLOCK.duplicate(), ReturnType.INTEGER, 1, lockKey, RedisTierSupport.bytes(token)))
			.then()
			.transform((operation) -> this.redis.bounded(operation, this.redis.timeout()))
			.onErrorResume((ex) -> Mono.empty());
	}

	@Override
	public Duration timeout() {
		return this.redis.lockTimeout();
	}

	/**
	 * The Redis key of the lock that guards loading a cache key across instances.
	 */
	private ByteBuffer lockKey(String cacheName, String key) {
		return RedisTierSupport.bytes(this.redis.keyPrefix() + "lock:" + cacheName + "::" + key);
	}

}
