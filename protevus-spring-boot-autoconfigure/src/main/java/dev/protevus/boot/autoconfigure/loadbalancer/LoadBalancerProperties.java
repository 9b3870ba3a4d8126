package dev.protevus.boot.autoconfigure.loadbalancer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Load balancing of the services called through Spring Cloud LoadBalancer
 * ({@code @LoadBalanced WebClient}, Spring Cloud Gateway {@code lb://} routes): the
 * defaults every service inherits, and per-service settings.
 *
 * @since 0.1.0
 */
@ConfigurationProperties("protevus.loadbalancer")
public class LoadBalancerProperties {

	/**
	 * Whether to enable Protevus's load balancing on Spring Cloud LoadBalancer:
	 * strategies, static instances, health checks, outlier ejection and failover. Spring
	 * Cloud LoadBalancer's own defaults apply when false.
	 */
	private boolean enabled = true;

	/**
	 * Default strategy of every service: 'round-robin', 'least-connections', 'ip-hash',
	 * 'weighted' or 'random'.
	 */
	private String strategy = "round-robin";

	/**
	 * Default key that the 'ip-hash' strategy hashes: 'client-ip' (the inbound request's
	 * client address), 'header:' and a header name, or 'cookie:' and a cookie name.
	 */
	private String hashKey = "client-ip";

	private final HealthCheck healthCheck = new HealthCheck();

	private final OutlierDetection outlierDetection = new OutlierDetection();

	private final Retry retry = new Retry();

	/**
	 * Per-service settings by service name; each inherits the defaults above.
	 */
	private final Map<String, Service> services = new LinkedHashMap<>();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public String getStrategy() {
		return this.strategy;
	}

	public void setStrategy(String strategy) {
		this.strategy = strategy;
	}

	public String getHashKey() {
		return this.hashKey;
	}

	public void setHashKey(String hashKey) {
		this.hashKey = hashKey;
	}

	public HealthCheck getHealthCheck() {
		return this.healthCheck;
	}

	public OutlierDetection getOutlierDetection() {
		return this.outlierDetection;
	}

	public Retry getRetry() {
		return this.retry;
	}

	public Map<String, Service> getServices() {
		return this.services;
	}

	/**
	 * One service's settings. Every key left unset takes the default of the same name
	 * under {@code protevus.loadbalancer}.
	 */
	public static class Service {

		/**
		 * Strategy of this service: 'round-robin', 'least-connections', 'ip-hash',
		 * 'weighted' or 'random'.
		 */
		private String strategy;

		/**
		 * Base URLs of the service's instances, such as http://127.0.0.1:9001. When
		 * empty, the discovery client supplies the instances.
		 */
		private List<String> instances = new ArrayList<>();

		/**
		 * Key that the 'ip-hash' strategy hashes: 'client-ip', 'header:' and a header
		 * name, or 'cookie:' and a cookie name.
		 */
		private String hashKey;

		private final HealthCheck healthCheck = new HealthCheck();

		private final OutlierDetection outlierDetection = new OutlierDetection();

		private final Retry retry = new Retry();

		public String getStrategy() {
			return this.strategy;
		}

		public void setStrategy(String strategy) {
			this.strategy = strategy;
		}

		public List<String> getInstances() {
			return this.instances;
		}

		public void setInstances(List<String> instances) {
			this.instances = instances;
		}

		public String getHashKey() {
			return this.hashKey;
		}

		public void setHashKey(String hashKey) {
			this.hashKey = hashKey;
		}

		public HealthCheck getHealthCheck() {
			return this.healthCheck;
		}

		public OutlierDetection getOutlierDetection() {
			return this.outlierDetection;
		}

		public Retry getRetry() {
			return this.retry;
		}

		/**
		 * A service's settings that start as the defaults, for per-service keys to be
		 * bound over.
		 * @param defaults the defaults
		 * @return the settings
		 */
		static Service inheriting(LoadBalancerProperties defaults) {
			Service service = new Service();
			service.setStrategy(defaults.getStrategy());
			service.setHashKey(defaults.getHashKey());
			defaults.getHealthCheck().copyTo(service.getHealthCheck());
			defaults.getOutlierDetection().copyTo(service.getOutlierDetection());
			defaults.getRetry().copyTo(service.getRetry());
			return service;
		}

	}

	/**
	 * Active health checks of every instance.
	 */
	public static class HealthCheck {

		/**
		 * Whether instances are checked actively; unhealthy ones get no traffic.
		 */
		private boolean enabled;

		/**
		 * Path that a healthy instance answers with a 2xx status.
		 */
		private String path = "/actuator/health";

		/**
		 * Time between two checks of an instance.
		 */
		private Duration interval = Duration.ofSeconds(5);

		/**
		 * How long a check may take before it counts as failed.
		 */
		private Duration timeout = Duration.ofSeconds(1);

		/**
		 * Consecutive successful checks that bring an unhealthy instance back.
		 */
		private int healthyThreshold = 2;

		/**
		 * Consecutive failed checks that take an instance out.
		 */
		private int unhealthyThreshold = 2;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public String getPath() {
			return this.path;
		}

		public void setPath(String path) {
			this.path = path;
		}

		public Duration getInterval() {
			return this.interval;
		}

		public void setInterval(Duration interval) {
			this.interval = interval;
		}

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

		public int getHealthyThreshold() {
			return this.healthyThreshold;
		}

		public void setHealthyThreshold(int healthyThreshold) {
			this.healthyThreshold = healthyThreshold;
		}

		public int getUnhealthyThreshold() {
			return this.unhealthyThreshold;
		}

		public void setUnhealthyThreshold(int unhealthyThreshold) {
			this.unhealthyThreshold = unhealthyThreshold;
		}

		void copyTo(HealthCheck other) {
			other.enabled = this.enabled;
			other.path = this.path;
			other.interval = this.interval;
			other.timeout = this.timeout;
			other.healthyThreshold = this.healthyThreshold;
			other.unhealthyThreshold = this.unhealthyThreshold;
		}

	}

	/**
	 * Passive outlier detection from the outcome of real requests.
	 */
	public static class OutlierDetection {

		/**
		 * Failed requests in a row (5xx, connection failures, time-outs) that eject an
		 * instance; 0 switches ejection off.
		 */
		private int consecutiveFailures = 5;

		/**
		 * How long the first ejection of an instance lasts; each further ejection lasts
		 * this much longer.
		 */
		private Duration baseEjectionTime = Duration.ofSeconds(30);

		/**
		 * Longest time an ejection lasts, however often the instance was ejected.
		 */
		private Duration maxEjectionTime = Duration.ofMinutes(5);

		/**
		 * Largest share of a service's instances, in percent, that are ejected at once;
		 * one instance may always be ejected.
		 */
		private int maxEjectionPercent = 50;

		public int getConsecutiveFailures() {
			return this.consecutiveFailures;
		}

		public void setConsecutiveFailures(int consecutiveFailures) {
			this.consecutiveFailures = consecutiveFailures;
		}

		public Duration getBaseEjectionTime() {
			return this.baseEjectionTime;
		}

		public void setBaseEjectionTime(Duration baseEjectionTime) {
			this.baseEjectionTime = baseEjectionTime;
		}

		public Duration getMaxEjectionTime() {
			return this.maxEjectionTime;
		}

		public void setMaxEjectionTime(Duration maxEjectionTime) {
			this.maxEjectionTime = maxEjectionTime;
		}

		public int getMaxEjectionPercent() {
			return this.maxEjectionPercent;
		}

		public void setMaxEjectionPercent(int maxEjectionPercent) {
			this.maxEjectionPercent = maxEjectionPercent;
		}

		void copyTo(OutlierDetection other) {
			other.consecutiveFailures = this.consecutiveFailures;
			other.baseEjectionTime = this.baseEjectionTime;
			other.maxEjectionTime = this.maxEjectionTime;
			other.maxEjectionPercent = this.maxEjectionPercent;
		}

	}

	/**
	 * Failover of a request to another instance, through resilience4j, for requests made
	 * with a {@code @LoadBalanced WebClient}.
	 */
	public static class Retry {

		/**
		 * Whether failed requests are retried on another instance.
		 */
		private boolean enabled = true;

		/**
		 * Attempts in all, the first included, each on an instance not tried yet while
		 * one is left.
		 */
		private int maxAttempts = 3;

		/**
		 * What is retried: 'connect-failure' (no connection could be made), 'reset' (the
		 * connection closed or was reset before the response), and response statuses such
		 * as 503.
		 */
		private List<String> retryOn = new ArrayList<>(List.of("connect-failure", "reset", "502", "503", "504"));

		/**
		 * HTTP methods that are retried; add POST only for idempotent POST endpoints.
		 */
		private List<String> methods = new ArrayList<>(List.of("GET", "HEAD", "OPTIONS", "PUT", "DELETE"));

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public int getMaxAttempts() {
			return this.maxAttempts;
		}

		public void setMaxAttempts(int maxAttempts) {
			this.maxAttempts = maxAttempts;
		}

		public List<String> getRetryOn() {
			return this.retryOn;
		}

		public void setRetryOn(List<String> retryOn) {
			this.retryOn = retryOn;
		}

		public List<String> getMethods() {
			return this.methods;
		}

		public void setMethods(List<String> methods) {
			this.methods = methods;
		}

		void copyTo(Retry other) {
			other.enabled = this.enabled;
			other.maxAttempts = this.maxAttempts;
			other.retryOn = new ArrayList<>(this.retryOn);
			other.methods = new ArrayList<>(this.methods);
		}

	}

}
