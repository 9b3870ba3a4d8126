package dev.protevus.boot.resilience;

import java.util.function.Supplier;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowSynchronizationStrategy;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;

import org.springframework.lang.Nullable;

/**
 * Circuit breakers for calls that complete on event-loop threads. resilience4j's default
 * sliding window records each outcome under a lock, which parks a Netty thread whenever
 * another thread holds it; Protevus's breakers use the lock-free window instead, keeping
 * every other setting, whether it comes from Protevus's defaults or from the
 * application's {@code resilience4j.circuitbreaker.*} properties.
 *
 * @since 0.1.0
 */
public final class LockFreeCircuitBreakers {

	private LockFreeCircuitBreakers() {
	}

	/**
	 * The named breaker from the registry, made lock-free: the application's breaker of
	 * that name (replaced in the registry by a lock-free one with the same settings when
	 * needed), else a new one with the given defaults. Without a registry, a breaker of
	 * its own.
	 * @param registry the application's registry, if any
	 * @param name the breaker's name
	 * @param defaults the settings for a breaker the application does not configure
	 * @return the breaker
	 */
	public static CircuitBreaker get(@Nullable CircuitBreakerRegistry registry, String name,
			Supplier<CircuitBreakerConfig> defaults) {
		if (registry == null) {
			return CircuitBreaker.of(name, lockFree(defaults.get()));
		}
		CircuitBreaker existing = registry.find(name).orElse(null);
		if (existing == null) {
			CircuitBreakerConfig config = registry.getConfiguration(name).orElseGet(defaults);
			return registry.circuitBreaker(name, lockFree(config));
		}
		if (isLockFree(existing.getCircuitBreakerConfig())) {
			return existing;
		}
		CircuitBreaker replacement = CircuitBreaker.of(name, lockFree(existing.getCircuitBreakerConfig()),
				existing.getTags());
		registry.replace(name, replacement);
		return replacement;
	}

	/**
	 * A copy of the settings with the lock-free sliding window.
	 * @param config the settings
	 * @return the lock-free settings
	 */
	public static CircuitBreakerConfig lockFree(CircuitBreakerConfig config) {
		if (isLockFree(config)) {
			return config;
		}
		return CircuitBreakerConfig.from(config)
			.slidingWindowSynchronizationStrategy(SlidingWindowSynchronizationStrategy.LOCK_FREE)
			.build();
	}

	private static boolean isLockFree(CircuitBreakerConfig config) {
		return config.getSlidingWindowSynchronizationStrategy() == SlidingWindowSynchronizationStrategy.LOCK_FREE;
	}

}
