package dev.protevus.boot.scaling;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.util.Assert;

/**
 * Recommends container requests and limits for this instance the way the Kubernetes VPA
 * recommender does: usage goes into decaying histograms (CPU in cores, memory working set
 * in bytes; half-life 24 hours by default, like the VPA's), requests are a target
 * percentile plus a safety margin (90th and 15% by default, the VPA's) and limits an
 * upper-bound percentile plus the same margin (95th by default, the VPA's upper bound).
 * Hints name what constrains the instance, from the scaling signals: heap pressure with
 * low CPU asks for memory, CPU saturation with an idle connection pool for CPU, and a
 * saturated pool with low CPU for a larger pool or a read replica.
 *
 * @since 0.1.0
 */
public class VerticalRecommender {

	// The VPA's minimums and bucket layout: 0.01 cores and 10 MB first buckets, each 5%
	// larger than the one before.
	private static final double MIN_CPU = 0.025;

	private static final long MIN_MEMORY = 250L * 1024 * 1024;

	private final ResourceUsage usage;

	private final ResourceLimits limits;

	private final Settings settings;

	private final Clock clock;

	private final DecayingHistogram cpu;

	private final DecayingHistogram memory;

	private final AtomicLong samples = new AtomicLong();

	/**
	 * Creates a recommender.
	 * @param usage reads what the instance uses now
	 * @param limits the limits in force now
	 * @param settings percentiles, margin, half-life and hint thresholds
	 * @param clock the time of each sample
	 */
	public VerticalRecommender(ResourceUsage usage, ResourceLimits limits, Settings settings, Clock clock) {
		this.usage = usage;
		this.limits = limits;
		this.settings = settings;
		this.clock = clock;
		this.cpu = new DecayingHistogram(0.01, 1.05, 1000, settings.halfLife());
		this.memory = new DecayingHistogram(1e7, 1.05, 1e12, settings.halfLife());
	}

	/**
	 * Records the usage now and recommends.
	 * @param signals the scaling signals' values by name, for the hints
	 * @return the recommendation
	 */
	public VerticalRecommendation sample(Map<String, Double> signals) {
		record(this.usage.cpuCores(), this.usage.memoryBytes(), this.clock.instant());
		return recommend(signals);
	}

	/**
	 * Records one usage sample.
	 * @param cpuCores CPU in cores, ignored when {@link Double#NaN} or negative
	 * @param memoryBytes memory in bytes, ignored when negative
	 * @param at when it was measured
	 */
	public void record(double cpuCores, long memoryBytes, Instant at) {
		if (cpuCores >= 0) {
			this.cpu.add(cpuCores, 1, at);
		}
		if (memoryBytes >= 0) {
			this.memory.add(memoryBytes, 1, at);
		}
		this.samples.incrementAndGet();
	}

	/**
	 * Recommends from the samples recorded so far.
	 * @param signals the scaling signals' values by name, for the hints
	 * @return the recommendation
	 */
	public VerticalRecommendation recommend(Map<String, Double> signals) {
		double margin = 1 + this.settings.safetyMargin();
		VerticalRecommendation.Resources requests = new VerticalRecommendation.Resources(
				cpu(this.cpu.percentile(this.settings.cpuPercentile()) * margin),
				memory(this.memory.percentile(this.settings.memoryPercentile()) * margin));
		VerticalRecommendation.Resources limits = new VerticalRecommendation.Resources(
				cpu(this.cpu.percentile(this.settings.upperPercentile()) * margin),
				memory(this.memory.percentile(this.settings.upperPercentile()) * margin));
		return new VerticalRecommendation(requests, limits, this.limits, this.settings.cpuPercentile(),
				this.settings.memoryPercentile(), this.settings.safetyMargin(), this.samples.get(), hints(signals));
	}

	private List<VerticalRecommendation.Hint> hints(Map<String, Double> signals) {
		Settings s = this.settings;
		double cpu = signals.getOrDefault(ScalingSignals.CPU, Double.NaN);
		double heap = signals.getOrDefault(ScalingSignals.HEAP_AFTER_GC, Double.NaN);
		double pool = signals.getOrDefault(ScalingSignals.POOL_UTILIZATION, Double.NaN);
		double pending = signals.getOrDefault(ScalingSignals.POOL_PENDING, Double.NaN);
		boolean lowCpu = !Double.isNaN(cpu) && cpu < s.cpuLow();
		List<VerticalRecommendation.Hint> hints = new ArrayList<>();
		if (heap >= s.heapPressure() && lowCpu) {
			hints.add(new VerticalRecommendation.Hint("memory", String.format(
					"Heap is %.0f%% full after GC while CPU is at %.0f%%: give the container more memory (and the heap"
							+ " a larger share of it) rather than more CPU or replicas.",
					heap * 100, cpu * 100)));
		}
		if (cpu >= s.cpuSaturated() && (Double.isNaN(pool) || pool < s.poolIdle())) {
			hints.add(new VerticalRecommendation.Hint("cpu", String.format(
					"CPU is at %.0f%% while the connection pool is %s: raise the CPU request and limit, or add replicas.",
					cpu * 100, Double.isNaN(pool) ? "unused" : String.format("%.0f%% used", pool * 100))));
		}
		if ((pool >= s.poolSaturated() || pending > 0) && lowCpu) {
			hints.add(new VerticalRecommendation.Hint("pool", String.format(
					"The connection pool is %.0f%% used with %.0f requests waiting while CPU is at %.0f%%: enlarge the"
							+ " pool (spring.r2dbc.pool.max-size) if the database has room, or send reads to a read"
							+ " replica; more CPU or replicas would not help.",
					pool * 100, Double.isNaN(pending) ? 0 : pending, cpu * 100)));
		}
		return List.copyOf(hints);
	}

	private static Double cpu(double cores) {
		return Double.isNaN(cores) ? null : Math.max(MIN_CPU, cores);
	}

	private static Long memory(double bytes) {
		return Double.isNaN(bytes) ? null : Math.max(MIN_MEMORY, (long) Math.ceil(bytes));
	}

	/**
	 * How the recommender computes.
	 *
	 * @param cpuPercentile the percentile of CPU usage that requests cover, 0.9 for the
	 * VPA's
	 * @param memoryPercentile the percentile of memory usage that requests cover, 0.9 for
	 * the VPA's
	 * @param upperPercentile the percentile of usage that limits cover, 0.95 for the
	 * VPA's upper bound
	 * @param safetyMargin the share added on top, 0.15 for the VPA's
	 * @param halfLife after how long a sample weighs half as much, 24 hours for the VPA's
	 * @param heapPressure heap share after GC from which memory is the constraint
	 * @param cpuLow CPU share below which CPU is not the constraint
	 * @param cpuSaturated CPU share from which CPU is the constraint
	 * @param poolSaturated pool utilisation from which the pool is the constraint
	 * @param poolIdle pool utilisation below which the pool is idle
	 */
	public record Settings(double cpuPercentile, double memoryPercentile, double upperPercentile, double safetyMargin,
			Duration halfLife, double heapPressure, double cpuLow, double cpuSaturated, double poolSaturated,
			double poolIdle) {

		/**
		 * The VPA's percentiles, margin and half-life, and hint thresholds of 80% heap,
		 * 50% and 90% CPU, and 90% and 50% pool.
		 */
		public static final Settings DEFAULTS = new Settings(0.9, 0.9, 0.95, 0.15, Duration.ofHours(24), 0.8, 0.5, 0.9,
				0.9, 0.5);

		/**
		 * Creates settings.
		 */
		public Settings {
			Assert.isTrue(cpuPercentile > 0 && cpuPercentile <= 1, "cpuPercentile must be in (0, 1]");
			Assert.isTrue(memoryPercentile > 0 && memoryPercentile <= 1, "memoryPercentile must be in (0, 1]");
			Assert.isTrue(upperPercentile > 0 && upperPercentile <= 1, "upperPercentile must be in (0, 1]");
			Assert.isTrue(safetyMargin >= 0, "safetyMargin must not be negative");
		}

	}

}
