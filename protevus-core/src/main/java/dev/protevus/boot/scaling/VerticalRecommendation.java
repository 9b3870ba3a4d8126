package dev.protevus.boot.scaling;

import java.util.List;

import org.springframework.lang.Nullable;

/**
 * Container requests and limits recommended from this instance's usage history, and hints
 * naming the resource that constrains it.
 *
 * @param requests the recommended requests: the target percentile of usage plus the
 * safety margin
 * @param limits the recommended limits: the upper-bound percentile of usage plus the
 * safety margin
 * @param current the limits in force now
 * @param cpuPercentile the percentile of CPU usage the requests cover
 * @param memoryPercentile the percentile of memory usage the requests cover
 * @param safetyMargin the share added on top of the percentiles
 * @param samples how many samples the histograms hold
 * @param hints what constrains the instance, most pressing first; empty when nothing does
 * @since 0.1.0
 */
public record VerticalRecommendation(Resources requests, Resources limits, ResourceLimits current, double cpuPercentile,
		double memoryPercentile, double safetyMargin, long samples, List<Hint> hints) {

	/**
	 * CPU and memory.
	 *
	 * @param cpuCores CPU in cores, {@code null} before the first sample
	 * @param memoryBytes memory in bytes, {@code null} before the first sample
	 */
	public record Resources(@Nullable Double cpuCores, @Nullable Long memoryBytes) {

	}

	/**
	 * A constraint and what relieves it.
	 *
	 * @param constraint {@code memory}, {@code cpu} or {@code pool}
	 * @param advice what to change
	 */
	public record Hint(String constraint, String advice) {

	}

}
