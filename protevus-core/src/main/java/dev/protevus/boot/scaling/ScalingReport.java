package dev.protevus.boot.scaling;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.lang.Nullable;

/**
 * A {@link ScalingRecommendation} as JSON readers see it: the {@code scaling} actuator
 * endpoint answers it and the webhook posts it. The desired replica count is the
 * top-level {@code desiredReplicas}, the GJSON path that KEDA's {@code metrics-api}
 * scaler reads.
 *
 * @param timestamp when the signals were read, ISO-8601
 * @param currentReplicas the replica count the recommendation started from
 * @param desiredReplicas the recommended replica count
 * @param verdict {@code SCALE_OUT}, {@code SCALE_IN} or {@code HOLD}
 * @param decidedBy the signal or bound that decided it
 * @param utilization the worst value / target ratio of the voting signals, {@code null}
 * if none voted
 * @param signals every signal by name
 * @param schedule the active schedule, {@code null} if none
 * @param stabilization the scale-down stabilisation state
 * @param vertical the vertical recommendation, {@code null} when it is off
 * @since 0.1.0
 */
public record ScalingReport(String timestamp, int currentReplicas, int desiredReplicas, ScalingVerdict verdict,
		String decidedBy, @Nullable Double utilization, Map<String, Signal> signals, @Nullable Schedule schedule,
		Stabilization stabilization, @Nullable Vertical vertical) {

	/**
	 * The report of a recommendation.
	 * @param recommendation the recommendation
	 * @return its report
	 */
	public static ScalingReport of(ScalingRecommendation recommendation) {
		HorizontalRecommendation h = recommendation.horizontal();
		Map<String, Signal> signals = new LinkedHashMap<>();
		for (SignalReading reading : h.signals()) {
			signals.put(reading.name(),
					new Signal(reading.value(), reading.unit(), reading.target(), reading.ratio(), reading.desired()));
		}
		Schedule schedule = (h.activeSchedule() != null)
				? new Schedule(h.activeSchedule().cron(), h.activeSchedule().minReplicas()) : null;
		HorizontalRecommendation.Stabilization s = h.stabilization();
		VerticalRecommendation v = recommendation.vertical();
		Vertical vertical = (v != null) ? new Vertical(Resources.of(v.requests()), Resources.of(v.limits()),
				new Resources(v.current().cpuCores(), v.current().memoryBytes(), millicores(v.current().cpuCores()),
						mebibytes(v.current().memoryBytes())),
				v.current().source(), v.cpuPercentile(), v.memoryPercentile(), v.safetyMargin(), v.samples(), v.hints())
				: null;
		return new ScalingReport(recommendation.timestamp().toString(), h.currentReplicas(), h.desiredReplicas(),
				h.verdict(), h.decidedBy(), h.utilization(), signals, schedule, new Stabilization(s.window().toString(),
						s.window().toMillis() / 1000.0, s.highestInWindow(), s.holding()),
				vertical);
	}

	@Nullable
	private static String millicores(@Nullable Double cores) {
		return (cores != null) ? (long) Math.ceil(cores * 1000) + "m" : null;
	}

	@Nullable
	private static String mebibytes(@Nullable Long bytes) {
		return (bytes != null) ? (long) Math.ceil(bytes / (1024.0 * 1024.0)) + "Mi" : null;
	}

	/**
	 * One signal.
	 *
	 * @param value its value, {@code null} while it has none
	 * @param unit its unit
	 * @param target its target, {@code null} if it does not vote
	 * @param ratio value / target
	 * @param desired the replica count it alone asks for
	 */
	public record Signal(@Nullable Double value, String unit, @Nullable Double target, @Nullable Double ratio,
			@Nullable Integer desired) {

	}

	/**
	 * The active schedule.
	 *
	 * @param cron its cron expression
	 * @param minReplicas its minimum
	 */
	public record Schedule(String cron, int minReplicas) {

	}

	/**
	 * The scale-down stabilisation state.
	 *
	 * @param window the window, ISO-8601
	 * @param windowSeconds the window in seconds
	 * @param highestInWindow the highest recommendation within the window
	 * @param holding whether the window holds a lower recommendation back
	 */
	public record Stabilization(String window, double windowSeconds, int highestInWindow, boolean holding) {

	}

	/**
	 * CPU and memory, as numbers and as Kubernetes quantities.
	 *
	 * @param cpuCores CPU in cores
	 * @param memoryBytes memory in bytes
	 * @param cpu CPU as a Kubernetes quantity, such as {@code 250m}
	 * @param memory memory as a Kubernetes quantity, such as {@code 512Mi}
	 */
	public record Resources(@Nullable Double cpuCores, @Nullable Long memoryBytes, @Nullable String cpu,
			@Nullable String memory) {

		static Resources of(VerticalRecommendation.Resources resources) {
			return new Resources(resources.cpuCores(), resources.memoryBytes(), millicores(resources.cpuCores()),
					mebibytes(resources.memoryBytes()));
		}

	}

	/**
	 * The vertical recommendation.
	 *
	 * @param requests recommended requests
	 * @param limits recommended limits
	 * @param current limits in force now
	 * @param currentSource where the limits in force were read
	 * @param cpuPercentile percentile of CPU usage the requests cover
	 * @param memoryPercentile percentile of memory usage the requests cover
	 * @param safetyMargin share added on top
	 * @param samples how many usage samples the histograms hold
	 * @param hints what constrains the instance
	 */
	public record Vertical(Resources requests, Resources limits, Resources current, String currentSource,
			double cpuPercentile, double memoryPercentile, double safetyMargin, long samples,
			List<VerticalRecommendation.Hint> hints) {

	}

}
