package dev.protevus.boot.autoconfigure.scaling;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import dev.protevus.boot.autoconfigure.InvalidPropertyException;
import dev.protevus.boot.autoconfigure.PropertyChecks;
import dev.protevus.boot.scaling.ScalingPolicy;
import dev.protevus.boot.scaling.ScalingSignal;
import dev.protevus.boot.scaling.ScheduledMinimum;
import dev.protevus.boot.scaling.VerticalRecommender;

import org.springframework.boot.convert.DurationStyle;

/**
 * Checks {@code protevus.scaling.*} and builds the runtime's policy and settings from it.
 * Every value that cannot work fails start-up with an {@link InvalidPropertyException}
 * naming its key.
 */
final class ScalingSettings {

	private static final String PREFIX = ScalingProperties.PREFIX + ".";

	private ScalingSettings() {
	}

	/**
	 * The horizontal policy.
	 * @param properties the properties
	 * @param units the unit of every signal that may have a target, by name
	 */
	static ScalingPolicy policy(ScalingProperties properties, Map<String, String> units) {
		Map<String, Double> targets = new LinkedHashMap<>();
		properties.getTargets().forEach((name, value) -> targets.put(name, target(name, value, units)));
		ScalingProperties.Replicas replicas = properties.getReplicas();
		int min = (int) PropertyChecks.positive(PREFIX + "replicas.min", replicas.getMin(), "1");
		int max = (int) PropertyChecks.positive(PREFIX + "replicas.max", replicas.getMax(), "10");
		if (min > max) {
			throw new InvalidPropertyException(PREFIX + "replicas.min", min,
					"it is above " + PREFIX + "replicas.max (" + max + ")",
					"Set '" + PREFIX + "replicas.min' to at most '" + PREFIX + "replicas.max', or raise the maximum.");
		}
		double tolerance = properties.getTolerance();
		if (!(tolerance >= 0 && tolerance < 1)) {
			throw new InvalidPropertyException(PREFIX + "tolerance", tolerance, "it must be at least 0 and below 1",
					"Set '" + PREFIX + "tolerance' to a share such as 0.10, the HPA's default.");
		}
		Duration window = PropertyChecks.notNegative(PREFIX + "scale-down-stabilization",
				properties.getScaleDownStabilization(), "5m", "scales in at once");
		List<ScheduledMinimum> schedule = new ArrayList<>();
		for (int i = 0; i < properties.getSchedule().size(); i++) {
			schedule.add(schedule(i, properties.getSchedule().get(i), max));
		}
		return new ScalingPolicy(targets, min, max, tolerance, window, schedule);
	}

	static int currentReplicas(ScalingProperties properties) {
		return (int) PropertyChecks.positive(PREFIX + "replicas.current", properties.getReplicas().getCurrent(),
				"${REPLICAS:1}");
	}

	static Duration interval(ScalingProperties properties) {
		return PropertyChecks.positive(PREFIX + "interval", properties.getInterval(), "15s");
	}

	static VerticalRecommender.Settings vertical(ScalingProperties properties) {
		ScalingProperties.Vertical vertical = properties.getVertical();
		String prefix = PREFIX + "vertical.";
		return new VerticalRecommender.Settings(share(prefix + "cpu-percentile", vertical.getCpuPercentile()),
				share(prefix + "memory-percentile", vertical.getMemoryPercentile()),
				share(prefix + "upper-percentile", vertical.getUpperPercentile()),
				notNegative(prefix + "safety-margin", vertical.getSafetyMargin()),
				PropertyChecks.positive(prefix + "half-life", vertical.getHalfLife(), "24h"),
				share(prefix + "heap-pressure", vertical.getHeapPressure()),
				share(prefix + "cpu-low", vertical.getCpuLow()),
				share(prefix + "cpu-saturated", vertical.getCpuSaturated()),
				share(prefix + "pool-saturated", vertical.getPoolSaturated()),
				share(prefix + "pool-idle", vertical.getPoolIdle()));
	}

	static double shedThreshold(ScalingProperties properties) {
		double threshold = properties.getShed().getThreshold();
		if (!(threshold > 0)) {
			throw new InvalidPropertyException(PREFIX + "shed.threshold", threshold, "it must be positive",
					"Set '" + PREFIX + "shed.threshold' to a ratio above 1, such as 1.5.");
		}
		return threshold;
	}

	static Duration shedHold(ScalingProperties properties) {
		return PropertyChecks.notNegative(PREFIX + "shed.hold", properties.getShed().getHold(), "30s",
				"accepts traffic again at the first sample below the threshold");
	}

	private static double target(String name, String value, Map<String, String> units) {
		String key = PREFIX + "targets." + name;
		String unit = units.get(name);
		if (unit == null) {
			throw new InvalidPropertyException(key, value, "there is no scaling signal named '" + name + "'",
					"Remove '" + key + "' or rename it to one of the signals " + new TreeSet<>(units.keySet())
							+ ", or provide a ScalingSignal bean named '" + name + "'.");
		}
		double target;
		try {
			target = ScalingSignal.SECONDS.equals(unit) ? DurationStyle.detectAndParse(value.trim()).toNanos() / 1e9
					: Double.parseDouble(value.trim());
		}
		catch (RuntimeException ex) {
			throw new InvalidPropertyException(key, value, "it is not a " + describe(unit),
					"Set '" + key + "' to a positive " + describe(unit) + ".");
		}
		if (!(target > 0) || Double.isInfinite(target)) {
			throw new InvalidPropertyException(key, value, "a target must be positive", "Set '" + key
					+ "' to a positive " + describe(unit) + ", or remove it so that '" + name + "' does not vote.");
		}
		return target;
	}

	private static String describe(String unit) {
		return ScalingSignal.SECONDS.equals(unit) ? "duration, such as 50ms" : "number in " + unit + ", such as 0.8";
	}

	private static ScheduledMinimum schedule(int index, ScalingProperties.Schedule schedule, int max) {
		String prefix = PREFIX + "schedule[" + index + "].";
		String cron = schedule.getCron();
		try {
			org.springframework.scheduling.support.CronExpression.parse((cron != null) ? cron : "");
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidPropertyException(prefix + "cron", cron, "it is not a cron expression: " + ex.getMessage(),
					"Set '" + prefix + "cron' to a six-field cron expression (second minute hour day month weekday),"
							+ " such as '0 0 8 * * MON-FRI'.");
		}
		int minReplicas = (int) PropertyChecks.notNegative(prefix + "min-replicas", schedule.getMinReplicas(), "4",
				"leaves the minimum to " + PREFIX + "replicas.min");
		if (minReplicas > max) {
			throw new InvalidPropertyException(prefix + "min-replicas", minReplicas,
					"it is above " + PREFIX + "replicas.max (" + max + ")",
					"Set '" + prefix + "min-replicas' to at most '" + PREFIX + "replicas.max'.");
		}
		return new ScheduledMinimum(cron, minReplicas);
	}

	private static double share(String key, double value) {
		if (!(value > 0 && value <= 1)) {
			throw new InvalidPropertyException(key, value, "it must be above 0 and at most 1",
					"Set '" + key + "' to a share such as 0.9.");
		}
		return value;
	}

	private static double notNegative(String key, double value) {
		if (!(value >= 0)) {
			throw new InvalidPropertyException(key, value, "it must not be negative",
					"Set '" + key + "' to a share such as 0.15, or 0 for no margin.");
		}
		return value;
	}

}
