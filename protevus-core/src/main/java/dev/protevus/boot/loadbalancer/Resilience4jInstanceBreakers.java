package dev.protevus.boot.loadbalancer;

import java.util.concurrent.TimeUnit;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import dev.protevus.boot.resilience.LockFreeCircuitBreakers;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;

/**
 * Instance breakers taken from a resilience4j {@link CircuitBreakerRegistry}, named
 * {@code loadbalancer-<service>-<host>:<port>}, so that they show in
 * {@code /actuator/circuitbreakers} and {@code resilience4j.circuitbreaker.configs.*}
 * tunes them. Their sliding window is lock-free, as outcomes are recorded on event loops.
 *
 * @since 0.1.0
 */
public class Resilience4jInstanceBreakers implements InstanceBreaker.Factory {

	private final CircuitBreakerRegistry registry;

	public Resilience4jInstanceBreakers(CircuitBreakerRegistry registry) {
		this.registry = registry;
	}

	/**
	 * The registry name of an instance's breaker.
	 * @param serviceId the service
	 * @param instance the instance, as {@code host:port}
	 * @return the name
	 */
	public static String name(String serviceId, String instance) {
		return "loadbalancer-" + serviceId + "-" + instance;
	}

	@Override
	public InstanceBreaker create(String serviceId, String instance) {
		CircuitBreaker breaker = LockFreeCircuitBreakers.get(this.registry, name(serviceId, instance),
				this.registry::getDefaultConfig);
		return new InstanceBreaker() {

			@Override
			public boolean permits() {
				return switch (breaker.getState()) {
					case CLOSED, HALF_OPEN, DISABLED, METRICS_ONLY -> true;
					// Moves an open breaker to half-open once its wait is over.
					case OPEN -> breaker.tryAcquirePermission();
					case FORCED_OPEN -> false;
				};
			}

			@Override
			public void onSuccess() {
				breaker.onSuccess(0, TimeUnit.NANOSECONDS);
			}

			@Override
			public void onError(Throwable failure) {
				breaker.onError(0, TimeUnit.NANOSECONDS, failure);
			}

			@Override
			public String state() {
				return breaker.getState().name();
			}

		};
	}

}
