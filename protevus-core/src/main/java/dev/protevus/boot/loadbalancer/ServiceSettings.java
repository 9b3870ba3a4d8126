package dev.protevus.boot.loadbalancer;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.springframework.util.Assert;

/**
 * How one load-balanced service is balanced, checked and retried, as resolved and checked
 * from configuration.
 *
 * @param serviceId the service's name, as in {@code http://pricing/...}
 * @param strategy the strategy's name, as configured, for display
 * @param instances the static instances, empty when a discovery client supplies them
 * @param hashKey what the consistent-hash strategy hashes
 * @param healthCheck the active health check
 * @param outlierDetection the passive outlier detection
 * @param retry the failover of idempotent requests
 * @since 0.1.0
 */
public record ServiceSettings(String serviceId, String strategy, List<URI> instances, HashKey hashKey,
		HealthCheck healthCheck, OutlierDetection outlierDetection, Retry retry) {

	public ServiceSettings {
		Assert.hasText(serviceId, "serviceId must not be empty");
		instances = List.copyOf(instances);
	}

	/**
	 * Settings with every check off, for a service nobody configured.
	 * @param serviceId the service's name
	 * @param strategy the strategy's name
	 * @return the settings
	 */
	public static ServiceSettings defaults(String serviceId, String strategy) {
		return new ServiceSettings(serviceId, strategy, List.of(), HashKey.clientIp(), HealthCheck.OFF,
				OutlierDetection.OFF, Retry.OFF);
	}

	/**
	 * An active health check: a GET of {@code path} on every instance each
	 * {@code interval}.
	 *
	 * @param enabled whether instances are checked
	 * @param path the path to GET, answered with 2xx by a healthy instance
	 * @param interval time between two checks of an instance
	 * @param timeout how long a check may take before it counts as failed
	 * @param healthyThreshold consecutive successes that bring an unhealthy instance back
	 * @param unhealthyThreshold consecutive failures that take an instance out
	 */
	public record HealthCheck(boolean enabled, String path, Duration interval, Duration timeout, int healthyThreshold,
			int unhealthyThreshold) {

		/**
		 * No active health check.
		 */
		public static final HealthCheck OFF = new HealthCheck(false, "/actuator/health", Duration.ofSeconds(5),
				Duration.ofSeconds(1), 2, 2);

	}

	/**
	 * Passive outlier detection: an instance whose real requests fail
	 * {@code consecutiveFailures} times in a row is ejected for {@code baseEjectionTime}
	 * times the number of times it was ejected, at most {@code maxEjectionTime}, unless
	 * {@code maxEjectionPercent} of the instances are already out.
	 *
	 * @param consecutiveFailures failures in a row that eject an instance, 0 for never
	 * @param baseEjectionTime how long the first ejection lasts
	 * @param maxEjectionTime the longest an ejection lasts
	 * @param maxEjectionPercent the largest share of instances ejected at once
	 */
	public record OutlierDetection(int consecutiveFailures, Duration baseEjectionTime, Duration maxEjectionTime,
			int maxEjectionPercent) {

		/**
		 * No outlier detection.
		 */
		public static final OutlierDetection OFF = new OutlierDetection(0, Duration.ofSeconds(30),
				Duration.ofMinutes(5), 50);

		/**
		 * Whether outliers are ejected at all.
		 * @return whether consecutive failures eject
		 */
		public boolean enabled() {
			return this.consecutiveFailures > 0 && this.maxEjectionPercent > 0;
		}

	}

	/**
	 * Failover of a request to another instance.
	 *
	 * @param enabled whether requests are retried
	 * @param maxAttempts attempts in all, the first included, each on an instance not
	 * tried before while one is left
	 * @param methods the HTTP methods that are retried
	 * @param statuses response statuses that are retried
	 * @param connectFailure whether a failed connection is retried
	 * @param reset whether a connection closed or reset before the response is retried
	 */
	public record Retry(boolean enabled, int maxAttempts, Set<String> methods, Set<Integer> statuses,
			boolean connectFailure, boolean reset) {

		/**
		 * No retry.
		 */
		public static final Retry OFF = new Retry(false, 1, Set.of(), Set.of(), false, false);

		public Retry {
			methods = Set.copyOf(methods);
			statuses = Set.copyOf(statuses);
		}

	}

}
