package dev.protevus.boot.autoconfigure.loadbalancer;

import java.util.Arrays;
import java.util.Locale;

import org.springframework.lang.Nullable;

/**
 * The strategies that {@code protevus.loadbalancer.strategy} chooses from.
 *
 * @since 0.1.0
 */
public enum LoadBalancerStrategy {

	/**
	 * Spring Cloud LoadBalancer's round-robin.
	 */
	ROUND_ROBIN,

	/**
	 * Fewest requests in flight, see
	 * {@link dev.protevus.boot.loadbalancer.LeastConnectionsLoadBalancer}.
	 */
	LEAST_CONNECTIONS,

	/**
	 * Consistent hashing of the client address, a header or a cookie, see
	 * {@link dev.protevus.boot.loadbalancer.ConsistentHashLoadBalancer}.
	 */
	IP_HASH,

	/**
	 * Spring Cloud LoadBalancer's weighted round-robin over the {@code weight} metadata.
	 */
	WEIGHTED,

	/**
	 * Spring Cloud LoadBalancer's random choice.
	 */
	RANDOM;

	/**
	 * The strategy's name in properties.
	 * @return the name, such as {@code least-connections}
	 */
	public String value() {
		return name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

	/**
	 * The strategy of a property value.
	 * @param value the value
	 * @return the strategy, or {@code null} if there is none of that name
	 */
	@Nullable
	static LoadBalancerStrategy of(@Nullable String value) {
		if (value == null) {
			return null;
		}
		String name = value.trim().toLowerCase(Locale.ROOT);
		return Arrays.stream(values()).filter((strategy) -> strategy.value().equals(name)).findFirst().orElse(null);
	}

}
