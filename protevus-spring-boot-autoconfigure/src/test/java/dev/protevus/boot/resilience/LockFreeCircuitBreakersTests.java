package dev.protevus.boot.resilience;

import java.util.Map;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowSynchronizationStrategy;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LockFreeCircuitBreakersTests {

	private static final SlidingWindowSynchronizationStrategy LOCK_FREE = SlidingWindowSynchronizationStrategy.LOCK_FREE;

	private final CircuitBreakerConfig defaults = CircuitBreakerConfig.custom().slidingWindowSize(7).build();

	@Test
	void resilience4jsOwnDefaultWindowTakesALock() {
		// What this class exists for: if resilience4j's default became lock-free, it
		// would have nothing left to do.
		assertThat(CircuitBreakerConfig.ofDefaults().getSlidingWindowSynchronizationStrategy()).isNotEqualTo(LOCK_FREE);
	}

	@Test
	void withoutARegistryABreakerOfItsOwnHasTheDefaultsLockFree() {
		CircuitBreaker breaker = LockFreeCircuitBreakers.get(null, "remote", () -> this.defaults);
		assertThat(breaker.getName()).isEqualTo("remote");
		assertThat(breaker.getCircuitBreakerConfig().getSlidingWindowSize()).isEqualTo(7);
		assertThat(breaker.getCircuitBreakerConfig().getSlidingWindowSynchronizationStrategy()).isEqualTo(LOCK_FREE);
	}

	@Test
	void aBreakerTheRegistryLacksIsAddedWithTheDefaultsLockFree() {
		CircuitBreakerRegistry registry = CircuitBreakerRegistry.ofDefaults();
		CircuitBreaker breaker = LockFreeCircuitBreakers.get(registry, "remote", () -> this.defaults);
		assertThat(registry.find("remote")).containsSame(breaker);
		assertThat(breaker.getCircuitBreakerConfig().getSlidingWindowSize()).isEqualTo(7);
		assertThat(breaker.getCircuitBreakerConfig().getSlidingWindowSynchronizationStrategy()).isEqualTo(LOCK_FREE);
		assertThat(LockFreeCircuitBreakers.get(registry, "remote", () -> this.defaults)).isSameAs(breaker);
	}

	@Test
	void aConfigurationOfTheBreakersNameWinsOverTheDefaults() {
		CircuitBreakerRegistry registry = CircuitBreakerRegistry.ofDefaults();
		registry.addConfiguration("remote", CircuitBreakerConfig.custom().slidingWindowSize(42).build());
		CircuitBreaker breaker = LockFreeCircuitBreakers.get(registry, "remote", () -> this.defaults);
		assertThat(breaker.getCircuitBreakerConfig().getSlidingWindowSize()).isEqualTo(42);
		assertThat(breaker.getCircuitBreakerConfig().getSlidingWindowSynchronizationStrategy()).isEqualTo(LOCK_FREE);
	}

	@Test
	void theApplicationsOwnBreakerIsReplacedByALockFreeOneWithItsSettingsAndTags() {
		CircuitBreakerRegistry registry = CircuitBreakerRegistry.ofDefaults();
		CircuitBreaker own = registry.circuitBreaker("remote",
				CircuitBreakerConfig.custom().failureRateThreshold(25).build(), Map.of("team", "books"));
		CircuitBreaker breaker = LockFreeCircuitBreakers.get(registry, "remote", () -> this.defaults);
		assertThat(breaker).isNotSameAs(own);
		assertThat(registry.find("remote")).containsSame(breaker);
		assertThat(breaker.getCircuitBreakerConfig().getFailureRateThreshold()).isEqualTo(25);
		assertThat(breaker.getCircuitBreakerConfig().getSlidingWindowSynchronizationStrategy()).isEqualTo(LOCK_FREE);
		assertThat(breaker.getTags()).containsEntry("team", "books");
	}

	@Test
	void aLockFreeBreakerOfTheApplicationIsKept() {
		CircuitBreakerRegistry registry = CircuitBreakerRegistry.ofDefaults();
		CircuitBreaker own = registry.circuitBreaker("remote",
				CircuitBreakerConfig.custom().slidingWindowSynchronizationStrategy(LOCK_FREE).build());
		assertThat(LockFreeCircuitBreakers.get(registry, "remote", () -> this.defaults)).isSameAs(own);
	}

}
