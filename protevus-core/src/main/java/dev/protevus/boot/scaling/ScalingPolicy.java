package dev.protevus.boot.scaling;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;

import org.springframework.lang.Nullable;
import org.springframework.util.Assert;

/**
 * What the horizontal recommendation aims for: a target per voting signal, the replica
 * bounds, the tolerance within which nothing changes, how long a lower recommendation
 * must last before it is followed, and the predefined schedules.
 *
 * @param targets target value per signal name, in the signal's unit; a signal without one
 * is reported but does not vote
 * @param minReplicas the fewest replicas ever recommended
 * @param maxReplicas the most replicas ever recommended
 * @param tolerance how far a ratio may be from 1 without changing anything, 0.1 for the
 * HPA's default
 * @param scaleDownStabilization how long the recommendation must stay lower before it
 * scales in, five minutes for the HPA's default
 * @param schedule the predefined schedules
 * @since 0.1.0
 */
public record ScalingPolicy(Map<String, Double> targets, int minReplicas, int maxReplicas, double tolerance,
		Duration scaleDownStabilization, List<ScheduledMinimum> schedule) {

	/**
	 * Creates a policy.
	 */
	public ScalingPolicy {
		targets = Map.copyOf(targets);
		targets.forEach((name, target) -> Assert.isTrue(target > 0,
				() -> "target of signal '" + name + "' must be positive but was " + target));
		Assert.isTrue(minReplicas >= 0, () -> "minReplicas must not be negative but was " + minReplicas);
		Assert.isTrue(maxReplicas >= minReplicas && maxReplicas > 0,
				() -> "maxReplicas must be positive and at least minReplicas (" + minReplicas + ") but was "
						+ maxReplicas);
		Assert.isTrue(tolerance >= 0, () -> "tolerance must not be negative but was " + tolerance);
		Assert.isTrue(!scaleDownStabilization.isNegative(),
				() -> "scaleDownStabilization must not be negative but was " + scaleDownStabilization);
		schedule = List.copyOf(schedule);
	}

	/**
	 * The schedule that fired last at or before a time.
	 * @param now the time
	 * @return the active schedule, or {@code null} if none fired in the last year
	 */
	@Nullable
	public ScheduledMinimum activeSchedule(ZonedDateTime now) {
		ScheduledMinimum active = null;
		ZonedDateTime activeSince = null;
		for (ScheduledMinimum candidate : this.schedule) {
			ZonedDateTime firing = candidate.lastFiring(now);
			if (firing != null && (activeSince == null || firing.isAfter(activeSince))) {
				active = candidate;
				activeSince = firing;
			}
		}
		return active;
	}

}
