package dev.protevus.boot.autoconfigure.queue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Job queues shared by the instances of a service: the broker, the consumer group, the
 * defaults every queue inherits and per-queue settings.
 *
 * @since 0.1.0
 */
@ConfigurationProperties(QueueProperties.PREFIX)
public class QueueProperties {

	static final String PREFIX = "protevus.queue";

	/**
	 * Whether to provide the JobQueue and run @QueueListener methods.
	 */
	private boolean enabled = true;

	/**
	 * Where jobs are kept: 'redis' (Redis Streams, shared by every instance) or 'memory'
	 * (this instance only, lost on restart). When unset, 'redis' if the application uses
	 * Redis (a spring.data.redis connection key or the redis cache tier is set), 'memory'
	 * otherwise.
	 */
	private String driver;

	/**
	 * Redis consumer group of this service's instances; each job goes to one instance of
	 * the group. When unset, spring.application.name, or 'protevus' without one.
	 */
	private String consumerGroup;

	/**
	 * Prefix of the Redis keys of every queue; a queue's stream is the prefix followed by
	 * its name in braces.
	 */
	private String keyPrefix = "queue:";

	/**
	 * How long publishing a job and the endpoint's operations wait for the broker before
	 * failing.
	 */
	private Duration timeout = Duration.ofSeconds(2);

	/**
	 * How often delayed jobs and retries whose time has come are moved into their queue.
	 */
	private Duration dueCheckInterval = Duration.ofMillis(250);

	private final Serialization serialization = new Serialization();

	private final Defaults defaults = new Defaults();

	/**
	 * Per-queue settings by queue name; each key left unset takes its value from
	 * protevus.queue.defaults.
	 */
	private final Map<String, NamedQueue> queues = new LinkedHashMap<>();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public String getDriver() {
		return this.driver;
	}

	public void setDriver(String driver) {
		this.driver = driver;
	}

	public String getConsumerGroup() {
		return this.consumerGroup;
	}

	public void setConsumerGroup(String consumerGroup) {
		this.consumerGroup = consumerGroup;
	}

	public String getKeyPrefix() {
		return this.keyPrefix;
	}

	public void setKeyPrefix(String keyPrefix) {
		this.keyPrefix = keyPrefix;
	}

	public Duration getTimeout() {
		return this.timeout;
	}

	public void setTimeout(Duration timeout) {
		this.timeout = timeout;
	}

	public Duration getDueCheckInterval() {
		return this.dueCheckInterval;
	}

	public void setDueCheckInterval(Duration dueCheckInterval) {
		this.dueCheckInterval = dueCheckInterval;
	}

	public Serialization getSerialization() {
		return this.serialization;
	}

	public Defaults getDefaults() {
		return this.defaults;
	}

	public Map<String, NamedQueue> getQueues() {
		return this.queues;
	}

	/**
	 * Which classes job payloads may be.
	 */
	public static class Serialization {

		/**
		 * Packages, besides the application's own (its auto-configuration packages),
		 * whose classes may be job payloads; JDK value types always may. A job naming any
		 * other class goes to the dead-letter stream unread.
		 */
		private List<String> allowedPackages = new ArrayList<>();

		public List<String> getAllowedPackages() {
			return this.allowedPackages;
		}

		public void setAllowedPackages(List<String> allowedPackages) {
			this.allowedPackages = allowedPackages;
		}

	}

	/**
	 * Settings every queue inherits.
	 */
	public static class Defaults {

		/**
		 * Jobs of one queue that one instance runs at once.
		 */
		private int concurrency = 4;

		/**
		 * Attempts of a job before it moves to the queue's dead-letter stream.
		 */
		private int maxAttempts = 5;

		private final Backoff backoff = new Backoff();

		/**
		 * How long a job may stay unacknowledged on an instance before another instance
		 * takes it over; longer than the slowest job.
		 */
		private Duration visibilityTimeout = Duration.ofSeconds(60);

		/**
		 * Jobs a queue, and its dead-letter stream, keep at most (Redis trims
		 * approximately, with XADD MAXLEN ~); the oldest go first.
		 */
		private long maxLength = 1_000_000;

		public int getConcurrency() {
			return this.concurrency;
		}

		public void setConcurrency(int concurrency) {
			this.concurrency = concurrency;
		}

		public int getMaxAttempts() {
			return this.maxAttempts;
		}

		public void setMaxAttempts(int maxAttempts) {
			this.maxAttempts = maxAttempts;
		}

		public Backoff getBackoff() {
			return this.backoff;
		}

		public Duration getVisibilityTimeout() {
			return this.visibilityTimeout;
		}

		public void setVisibilityTimeout(Duration visibilityTimeout) {
			this.visibilityTimeout = visibilityTimeout;
		}

		public long getMaxLength() {
			return this.maxLength;
		}

		public void setMaxLength(long maxLength) {
			this.maxLength = maxLength;
		}

	}

	/**
	 * The wait before each retry of a failed job: initial, then multiplied at each
	 * further attempt, never above max.
	 */
	public static class Backoff {

		/**
		 * Wait before the second attempt.
		 */
		private Duration initial = Duration.ofSeconds(1);

		/**
		 * Factor by which each further wait grows; at least 1.
		 */
		private double multiplier = 2.0;

		/**
		 * Longest wait.
		 */
		private Duration max = Duration.ofMinutes(5);

		public Duration getInitial() {
			return this.initial;
		}

		public void setInitial(Duration initial) {
			this.initial = initial;
		}

		public double getMultiplier() {
			return this.multiplier;
		}

		public void setMultiplier(double multiplier) {
			this.multiplier = multiplier;
		}

		public Duration getMax() {
			return this.max;
		}

		public void setMax(Duration max) {
			this.max = max;
		}

	}

	/**
	 * One queue's settings; each key left unset takes the default of the same name.
	 */
	public static class NamedQueue {

		/**
		 * Jobs of this queue that one instance runs at once.
		 */
		private Integer concurrency;

		/**
		 * Attempts of a job before it moves to the dead-letter stream.
		 */
		private Integer maxAttempts;

		private final NamedBackoff backoff = new NamedBackoff();

		/**
		 * How long a job may stay unacknowledged on an instance before another instance
		 * takes it over.
		 */
		private Duration visibilityTimeout;

		/**
		 * Jobs this queue, and its dead-letter stream, keep at most.
		 */
		private Long maxLength;

		public Integer getConcurrency() {
			return this.concurrency;
		}

		public void setConcurrency(Integer concurrency) {
			this.concurrency = concurrency;
		}

		public Integer getMaxAttempts() {
			return this.maxAttempts;
		}

		public void setMaxAttempts(Integer maxAttempts) {
			this.maxAttempts = maxAttempts;
		}

		public NamedBackoff getBackoff() {
			return this.backoff;
		}

		public Duration getVisibilityTimeout() {
			return this.visibilityTimeout;
		}

		public void setVisibilityTimeout(Duration visibilityTimeout) {
			this.visibilityTimeout = visibilityTimeout;
		}

		public Long getMaxLength() {
			return this.maxLength;
		}

		public void setMaxLength(Long maxLength) {
			this.maxLength = maxLength;
		}

	}

	/**
	 * One queue's backoff; each key left unset takes the default of the same name.
	 */
	public static class NamedBackoff {

		/**
		 * Wait before the second attempt.
		 */
		private Duration initial;

		/**
		 * Factor by which each further wait grows; at least 1.
		 */
		private Double multiplier;

		/**
		 * Longest wait.
		 */
		private Duration max;

		public Duration getInitial() {
			return this.initial;
		}

		public void setInitial(Duration initial) {
			this.initial = initial;
		}

		public Double getMultiplier() {
			return this.multiplier;
		}

		public void setMultiplier(Double multiplier) {
			this.multiplier = multiplier;
		}

		public Duration getMax() {
			return this.max;
		}

		public void setMax(Duration max) {
			this.max = max;
		}

	}

}
