package dev.protevus.boot.scaling;

import java.time.Duration;
import java.util.List;

import org.springframework.lang.Nullable;

/**
 * The outcome of one run of the HPA algorithm.
 *
 * @param currentReplicas the replica count it started from
 * @param desiredReplicas the replica count it recommends
 * @param verdict what to do
 * @param decidedBy the signal whose vote decided it, or {@value #SCHEDULE},
 * {@value #MIN_REPLICAS}, {@value #MAX_REPLICAS}, {@value #STABILIZATION} or
 * {@value #NONE} (no voting signal had a value)
 * @param signals every signal read
 * @param utilization the highest ratio of a voting signal, {@code null} if none voted
 * @param activeSchedule the schedule whose minimum applies, {@code null} if none
 * @param stabilization the scale-down stabilisation state
 * @since 0.1.0
 */
public record HorizontalRecommendation(int currentReplicas, int desiredReplicas, ScalingVerdict verdict,
		String decidedBy, List<SignalReading> signals, @Nullable Double utilization,
		@Nullable ScheduledMinimum activeSchedule, Stabilization stabilization) {

	/**
	 * {@code decidedBy} when the active schedule's minimum raised the count.
	 */
	public static final String SCHEDULE = "schedule";

	/**
	 * {@code decidedBy} when the minimum replica count raised the count.
	 */
	public static final String MIN_REPLICAS = "min-replicas";

	/**
	 * {@code decidedBy} when the maximum replica count capped the count.
	 */
	public static final String MAX_REPLICAS = "max-replicas";

	/**
	 * {@code decidedBy} when the stabilisation window held a scale-in back.
	 */
	public static final String STABILIZATION = "stabilization";

	/**
	 * {@code decidedBy} when no voting signal had a value.
	 */
	public static final String NONE = "none";

	/**
	 * The scale-down stabilisation state.
	 *
	 * @param window how long a lower recommendation must last
	 * @param highestInWindow the highest recommendation within the window, counting the
	 * current replica count for the part of the window before the first sample
	 * @param holding whether the window is holding a lower recommendation back
	 */
	public record Stabilization(Duration window, int highestInWindow, boolean holding) {

	}

}
