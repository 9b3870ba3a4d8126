package dev.protevus.boot.scaling;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

import org.springframework.util.Assert;

/**
 * Computes the replica count the way the Kubernetes Horizontal Pod Autoscaler does. Per
 * voting signal, {@code ratio = value / target} and
 * {@code desired = ceil(current × ratio)}, except that a ratio within {@code tolerance}
 * of 1 asks for no change. The overall desired count is the highest of the signals' and
 * is clamped to the replica bounds and to the active schedule's minimum. A lower count is
 * followed only once every recommendation over the whole scale-down stabilisation window
 * was lower: the count scales in to the highest recommendation of the window, as the HPA
 * does.
 * <p>
 * It remembers the recommendations of the window, so one instance serves one policy.
 * Thread-safe.
 *
 * @since 0.1.0
 */
public class HorizontalRecommender {

	// Absorbs floating-point noise such as 0.77 / 0.7 = 1.1000000000000003, so that a
	// ratio exactly at the tolerance edge or an exact product does not tip over.
	private static final double EPSILON = 1e-9;

	private final ScalingPolicy policy;

	private final Clock clock;

	private final Deque<Recorded> window = new ArrayDeque<>();

	private Instant firstSample;

	/**
	 * Creates a recommender.
	 * @param policy the targets, bounds, tolerance, window and schedules
	 * @param clock the time, with the zone that the schedules' cron expressions are read
	 * in
	 */
	public HorizontalRecommender(ScalingPolicy policy, Clock clock) {
		Assert.notNull(policy, "policy must not be null");
		Assert.notNull(clock, "clock must not be null");
		this.policy = policy;
		this.clock = clock;
	}

	/**
	 * The policy it follows.
	 * @return the policy
	 */
	public ScalingPolicy policy() {
		return this.policy;
	}

	/**
	 * Computes a recommendation from the signals' values now and remembers it for the
	 * stabilisation window.
	 * @param currentReplicas the current replica count, at least 1
	 * @param values each signal's value by name ({@link Double#NaN} when it has none)
	 * @param units each signal's unit by name
	 * @return the recommendation
	 */
	public synchronized HorizontalRecommendation recommend(int currentReplicas, Map<String, Double> values,
			Map<String, String> units) {
		Assert.isTrue(currentReplicas > 0, () -> "currentReplicas must be positive but was " + currentReplicas);
		Instant now = this.clock.instant();
		List<SignalReading> readings = new ArrayList<>();
		int raw = -1;
		double decidingRatio = 0;
		String decidedBy = HorizontalRecommendation.NONE;
		Double utilization = null;
		for (Map.Entry<String, Double> entry : values.entrySet()) {
			String name = entry.getKey();
			double value = entry.getValue();
			Double target = this.policy.targets().get(name);
			String unit = units.getOrDefault(name, ScalingSignal.RATIO);
			if (target == null || Double.isNaN(value)) {
				readings.add(new SignalReading(name, unit, Double.isNaN(value) ? null : value, target, null, null));
				continue;
			}
			double ratio = value / target;
			int desired = desired(currentReplicas, ratio);
			readings.add(new SignalReading(name, unit, value, target, ratio, desired));
			utilization = (utilization == null) ? ratio : Math.max(utilization, ratio);
			if (desired > raw || (desired == raw && ratio > decidingRatio)) {
				raw = desired;
				decidingRatio = ratio;
				decidedBy = name;
			}
		}
		if (raw < 0) {
			raw = currentReplicas;
		}
		ScheduledMinimum schedule = this.policy.activeSchedule(now.atZone(this.clock.getZone()));
		int scheduleMin = (schedule != null) ? schedule.minReplicas() : 0;
		int lower = Math.min(this.policy.maxReplicas(), Math.max(this.policy.minReplicas(), scheduleMin));
		int clamped = raw;
		if (clamped < lower) {
			clamped = lower;
			decidedBy = (scheduleMin > this.policy.minReplicas()) ? HorizontalRecommendation.SCHEDULE
					: HorizontalRecommendation.MIN_REPLICAS;
		}
		else if (clamped > this.policy.maxReplicas()) {
			clamped = this.policy.maxReplicas();
			decidedBy = HorizontalRecommendation.MAX_REPLICAS;
		}
		int highest = remember(now, clamped, currentReplicas);
		int desiredReplicas = clamped;
		boolean holding = false;
		if (clamped < currentReplicas) {
			int stabilized = Math.min(currentReplicas, highest);
			if (stabilized > clamped) {
				desiredReplicas = stabilized;
				holding = true;
				decidedBy = HorizontalRecommendation.STABILIZATION;
			}
		}
		ScalingVerdict verdict = (desiredReplicas > currentReplicas) ? ScalingVerdict.SCALE_OUT
				: (desiredReplicas < currentReplicas) ? ScalingVerdict.SCALE_IN : ScalingVerdict.HOLD;
		return new HorizontalRecommendation(currentReplicas, desiredReplicas, verdict, decidedBy, List.copyOf(readings),
				utilization, schedule,
				new HorizontalRecommendation.Stabilization(this.policy.scaleDownStabilization(), highest, holding));
	}

	/**
	 * The replica count one signal asks for.
	 * @param currentReplicas the current count
	 * @param ratio value divided by target
	 * @return {@code currentReplicas} within the tolerance, else
	 * {@code ceil(currentReplicas × ratio)}
	 */
	public int desired(int currentReplicas, double ratio) {
		if (Math.abs(ratio - 1) <= this.policy.tolerance() + EPSILON) {
			return currentReplicas;
		}
		return (int) Math.min(Integer.MAX_VALUE, Math.ceil(currentReplicas * ratio - EPSILON));
	}

	/**
	 * Adds a recommendation to the window and returns the highest of the window, counting
	 * the current count for the part of the window before the first sample.
	 */
	private int remember(Instant now, int recommendation, int currentReplicas) {
		if (this.firstSample == null) {
			this.firstSample = now;
		}
		Instant start = now.minus(this.policy.scaleDownStabilization());
		while (!this.window.isEmpty() && this.window.peekFirst().at().isBefore(start)) {
			this.window.removeFirst();
		}
		this.window.addLast(new Recorded(now, recommendation));
		int highest = this.window.stream().mapToInt(Recorded::replicas).max().orElse(recommendation);
		if (this.firstSample.isAfter(start)) {
			highest = Math.max(highest, currentReplicas);
		}
		return highest;
	}

	private record Recorded(Instant at, int replicas) {

	}

}
