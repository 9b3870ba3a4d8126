package dev.protevus.boot.autoconfigure.scaling;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of Protevus's scaling advice: targets per signal, replica bounds, tolerance,
 * stabilisation, schedules, load shedding, the webhook and vertical sizing.
 *
 * @since 0.1.0
 */
@ConfigurationProperties(ScalingProperties.PREFIX)
public class ScalingProperties {

	/**
	 * Prefix of the scaling properties.
	 */
	public static final String PREFIX = "protevus.scaling";

	/**
	 * Whether scaling signals are sampled and recommendations computed.
	 */
	private boolean enabled = true;

	/**
	 * Time between two samples of the signals; 15s matches the HPA's sync period.
	 */
	private Duration interval = Duration.ofSeconds(15);

	/**
	 * Target value per signal name, such as 'cpu: 0.70', 'pool-utilization: 0.80' or
	 * 'event-loop-lag: 50ms'; time signals take durations, the others numbers in their
	 * unit. A signal without a target is reported but does not vote on the replica count.
	 */
	private Map<String, String> targets = new LinkedHashMap<>();

	private final Replicas replicas = new Replicas();

	/**
	 * How far a signal's value / target ratio may be from 1 without changing the replica
	 * count; 0.10 is the HPA's default.
	 */
	private double tolerance = 0.10;

	/**
	 * How long the desired replica count must stay lower before the recommendation scales
	 * in; 5m is the HPA's default, zero scales in at once.
	 */
	private Duration scaleDownStabilization = Duration.ofMinutes(5);

	/**
	 * Predefined schedules: from each time a schedule's cron expression fires until
	 * another one fires, the recommendation keeps at least its 'min-replicas'.
	 */
	private List<Schedule> schedule = new ArrayList<>();

	private final Shed shed = new Shed();

	private final Webhook webhook = new Webhook();

	private final Vertical vertical = new Vertical();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public Duration getInterval() {
		return this.interval;
	}

	public void setInterval(Duration interval) {
		this.interval = interval;
	}

	public Map<String, String> getTargets() {
		return this.targets;
	}

	public void setTargets(Map<String, String> targets) {
		this.targets = targets;
	}

	public Replicas getReplicas() {
		return this.replicas;
	}

	public double getTolerance() {
		return this.tolerance;
	}

	public void setTolerance(double tolerance) {
		this.tolerance = tolerance;
	}

	public Duration getScaleDownStabilization() {
		return this.scaleDownStabilization;
	}

	public void setScaleDownStabilization(Duration scaleDownStabilization) {
		this.scaleDownStabilization = scaleDownStabilization;
	}

	public List<Schedule> getSchedule() {
		return this.schedule;
	}

	public void setSchedule(List<Schedule> schedule) {
		this.schedule = schedule;
	}

	public Shed getShed() {
		return this.shed;
	}

	public Webhook getWebhook() {
		return this.webhook;
	}

	public Vertical getVertical() {
		return this.vertical;
	}

	/**
	 * Replica counts.
	 */
	public static class Replicas {

		/**
		 * How many replicas run now, the base of the HPA formula; in Kubernetes set it
		 * from the REPLICAS environment variable (see docs/vertical-scaling.md).
		 */
		private int current = 1;

		/**
		 * The fewest replicas ever recommended.
		 */
		private int min = 1;

		/**
		 * The most replicas ever recommended.
		 */
		private int max = 20;

		public int getCurrent() {
			return this.current;
		}

		public void setCurrent(int current) {
			this.current = current;
		}

		public int getMin() {
			return this.min;
		}

		public void setMin(int min) {
			this.min = min;
		}

		public int getMax() {
			return this.max;
		}

		public void setMax(int max) {
			this.max = max;
		}

	}

	/**
	 * A predefined schedule.
	 */
	public static class Schedule {

		/**
		 * Six-field cron expression (second, minute, hour, day of month, month, day of
		 * week), read in the JVM's default time zone, such as '0 0 8 * * MON-FRI'.
		 */
		private String cron;

		/**
		 * The fewest replicas recommended while this schedule is the one that fired last.
		 */
		private int minReplicas = 1;

		public String getCron() {
			return this.cron;
		}

		public void setCron(String cron) {
			this.cron = cron;
		}

		public int getMinReplicas() {
			return this.minReplicas;
		}

		public void setMinReplicas(int minReplicas) {
			this.minReplicas = minReplicas;
		}

	}

	/**
	 * Load shedding through the readiness state.
	 */
	public static class Shed {

		/**
		 * Whether readiness becomes REFUSING_TRAFFIC while the worst value / target ratio
		 * of the voting signals is above the threshold. Liveness is never touched.
		 */
		private boolean enabled;

		/**
		 * The worst ratio above which readiness refuses traffic.
		 */
		private double threshold = 1.5;

		/**
		 * How long the worst ratio must stay at or below the threshold before readiness
		 * accepts traffic again, so that it does not flap.
		 */
		private Duration hold = Duration.ofSeconds(30);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public double getThreshold() {
			return this.threshold;
		}

		public void setThreshold(double threshold) {
			this.threshold = threshold;
		}

		public Duration getHold() {
			return this.hold;
		}

		public void setHold(Duration hold) {
			this.hold = hold;
		}

	}

	/**
	 * The webhook told of each change of the recommendation.
	 */
	public static class Webhook {

		/**
		 * URL that the recommendation is POSTed to as JSON when it changes; none when
		 * unset.
		 */
		private URI url;

		/**
		 * How long one attempt may take, connecting included.
		 */
		private Duration timeout = Duration.ofSeconds(2);

		/**
		 * How many attempts are made in all, the first one included.
		 */
		private int maxAttempts = 3;

		/**
		 * How long to wait between two attempts.
		 */
		private Duration waitDuration = Duration.ofSeconds(1);

		public URI getUrl() {
			return this.url;
		}

		public void setUrl(URI url) {
			this.url = url;
		}

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

		public int getMaxAttempts() {
			return this.maxAttempts;
		}

		public void setMaxAttempts(int maxAttempts) {
			this.maxAttempts = maxAttempts;
		}

		public Duration getWaitDuration() {
			return this.waitDuration;
		}

		public void setWaitDuration(Duration waitDuration) {
			this.waitDuration = waitDuration;
		}

	}

	/**
	 * Vertical sizing advice, computed the way the Kubernetes VPA recommender does.
	 */
	public static class Vertical {

		/**
		 * Whether container requests and limits are recommended from usage history.
		 */
		private boolean enabled = true;

		/**
		 * Percentile of CPU usage that the recommended request covers; 0.9 is the VPA's.
		 */
		private double cpuPercentile = 0.9;

		/**
		 * Percentile of memory usage that the recommended request covers; 0.9 is the
		 * VPA's.
		 */
		private double memoryPercentile = 0.9;

		/**
		 * Percentile of usage that the recommended limits cover; 0.95 is the VPA's upper
		 * bound.
		 */
		private double upperPercentile = 0.95;

		/**
		 * Share added on top of the percentiles; 0.15 is the VPA's.
		 */
		private double safetyMargin = 0.15;

		/**
		 * After how long a usage sample weighs half as much; 24h is the VPA's.
		 */
		private Duration halfLife = Duration.ofHours(24);

		/**
		 * Heap share used after GC from which memory is named as the constraint.
		 */
		private double heapPressure = 0.8;

		/**
		 * CPU share below which CPU is not the constraint.
		 */
		private double cpuLow = 0.5;

		/**
		 * CPU share from which CPU is named as the constraint.
		 */
		private double cpuSaturated = 0.9;

		/**
		 * Connection pool utilisation from which the pool is named as the constraint.
		 */
		private double poolSaturated = 0.9;

		/**
		 * Connection pool utilisation below which the pool counts as idle.
		 */
		private double poolIdle = 0.5;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public double getCpuPercentile() {
			return this.cpuPercentile;
		}

		public void setCpuPercentile(double cpuPercentile) {
			this.cpuPercentile = cpuPercentile;
		}

		public double getMemoryPercentile() {
			return this.memoryPercentile;
		}

		public void setMemoryPercentile(double memoryPercentile) {
			this.memoryPercentile = memoryPercentile;
		}

		public double getUpperPercentile() {
			return this.upperPercentile;
		}

		public void setUpperPercentile(double upperPercentile) {
			this.upperPercentile = upperPercentile;
		}

		public double getSafetyMargin() {
			return this.safetyMargin;
		}

		public void setSafetyMargin(double safetyMargin) {
			this.safetyMargin = safetyMargin;
		}

		public Duration getHalfLife() {
			return this.halfLife;
		}

		public void setHalfLife(Duration halfLife) {
			this.halfLife = halfLife;
		}

		public double getHeapPressure() {
			return this.heapPressure;
		}

		public void setHeapPressure(double heapPressure) {
			this.heapPressure = heapPressure;
		}

		public double getCpuLow() {
			return this.cpuLow;
		}

		public void setCpuLow(double cpuLow) {
			this.cpuLow = cpuLow;
		}

		public double getCpuSaturated() {
			return this.cpuSaturated;
		}

		public void setCpuSaturated(double cpuSaturated) {
			this.cpuSaturated = cpuSaturated;
		}

		public double getPoolSaturated() {
			return this.poolSaturated;
		}

		public void setPoolSaturated(double poolSaturated) {
			this.poolSaturated = poolSaturated;
		}

		public double getPoolIdle() {
			return this.poolIdle;
		}

		public void setPoolIdle(double poolIdle) {
			this.poolIdle = poolIdle;
		}

	}

}
