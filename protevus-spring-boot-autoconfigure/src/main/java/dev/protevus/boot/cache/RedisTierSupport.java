package dev.protevus.boot.cache;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;

import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.core.ReactiveRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.data.redis.serializer.RedisSerializationContext;
import org.springframework.data.redis.serializer.RedisSerializer;
import org.springframework.util.Assert;

/**
 * What every Redis tier shares: the connection, the key prefix, the per-operation timeout and
 * one circuit breaker, since all caches' Redis tiers fail together when Redis does.
 *
 * @since 0.1.0
 */
public final class RedisTierSupport {

	private static final Log logger = LogFactory.getLog(RedisTierSupport.class);

	private static final RedisScript<Long> UNLOCK = RedisScript
		.of("if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end", Long.class);

	private final ReactiveRedisTemplate<String, byte[]> template;

	private final ReactiveRedisTemplate<String, String> stringTemplate;

	private final String keyPrefix;

	private final Duration timeout;

	private final Duration lockTimeout;

	private final CircuitBreaker circuitBreaker;

	/**
	 * Creates the support for Redis tiers.
	 * @param connectionFactory the application's Redis connection
	 * @param keyPrefix prefix of every key Protevus writes
	 * @param timeout bound of each operation, after which the tier counts as a miss
	 * @param lockTimeout how long a cluster lock is held at most, and how long other instances
	 * wait for the locked value
	 * @param circuitBreaker the breaker that stops calling Redis while it keeps failing
	 */
	public RedisTierSupport(ReactiveRedisConnectionFactory connectionFactory, String keyPrefix, Duration timeout,
			Duration lockTimeout, CircuitBreaker circuitBreaker) {
		Assert.notNull(connectionFactory, "connectionFactory must not be null");
		Assert.isTrue(timeout.compareTo(Duration.ZERO) > 0, () -> "timeout must be positive but was " + timeout);
		this.template = new ReactiveRedisTemplate<>(connectionFactory, RedisSerializationContext
			.<String, byte[]>newSerializationContext(RedisSerializer.string())
			.value(RedisSerializer.byteArray())
			.build());
		this.stringTemplate = new ReactiveRedisTemplate<>(connectionFactory, RedisSerializationContext.string());
		this.keyPrefix = (keyPrefix != null) ? keyPrefix : "";
		this.timeout = timeout;
		this.lockTimeout = lockTimeout;
		this.circuitBreaker = circuitBreaker;
		circuitBreaker.getEventPublisher()
			.onStateTransition((event) -> logger.warn("Redis cache tiers: circuit breaker '" + circuitBreaker.getName()
					+ "' " + event.getStateTransition() + ((event.getStateTransition().getToState() == CircuitBreaker.State.OPEN)
							? "; caches skip Redis until it answers again" : "")));
	}

	public String keyPrefix() {
		return this.keyPrefix;
	}

	public CircuitBreaker circuitBreaker() {
		return this.circuitBreaker;
	}

	ReactiveRedisTemplate<String, byte[]> template() {
		return this.template;
	}

	ReactiveRedisTemplate<String, String> stringTemplate() {
		return this.stringTemplate;
	}

	Duration timeout() {
		return this.timeout;
	}

	Duration lockTimeout() {
		return this.lockTimeout;
	}

	/**
	 * Bounds an operation by the timeout and the circuit breaker, turning any failure into an
	 * empty result that has been counted and logged.
	 */
	<T> Mono<T> guard(Mono<T> operation, Duration bound, String what, TierCounters counters, RateLimitedLog log) {
		return operation.timeout(bound).transformDeferred(CircuitBreakerOperator.of(this.circuitBreaker)).onErrorResume((ex) -> {
			if (!(ex instanceof CallNotPermittedException)) {
				counters.errors.increment();
				log.warn(what, ex);
			}
			return Mono.empty();
		});
	}

	/**
	 * Tries to take the lock under a key for one loader in the cluster.
	 * @return the token that unlocks it, empty when another instance holds it, or an error when
	 * Redis cannot tell
	 */
	Mono<String> tryLock(String lockKey) {
		String token = UUID.randomUUID().toString();
		return this.stringTemplate.opsForValue()
			.setIfAbsent(lockKey, token, this.lockTimeout)
			.timeout(this.timeout)
			.transformDeferred(CircuitBreakerOperator.of(this.circuitBreaker))
			.filter(Boolean::booleanValue)
			.map((acquired) -> token);
	}

	Mono<Void> unlock(String lockKey, String token) {
		return this.stringTemplate.execute(UNLOCK, List.of(lockKey), List.of(token))
			.then()
			.timeout(this.timeout)
			.onErrorResume((ex) -> Mono.empty());
	}

	TierStore createStore(String cacheName, TieredCacheSettings settings, EntryCodec codec, Clock clock) {
		return new RedisTierStore(this, cacheName, settings, codec, clock);
	}

	/**
	 * The Redis key of the lock that guards loading a cache key across instances.
	 */
	String lockKey(String cacheName, String key) {
		return this.keyPrefix + "lock:" + cacheName + "::" + key;
	}

}
