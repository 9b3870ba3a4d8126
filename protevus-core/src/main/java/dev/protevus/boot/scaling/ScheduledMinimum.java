package dev.protevus.boot.scaling;

import java.time.Duration;
import java.time.ZonedDateTime;

import org.springframework.lang.Nullable;
import org.springframework.scheduling.support.CronExpression;
import org.springframework.util.Assert;

/**
 * A predefined schedule: from each time its cron expression fires until another schedule
 * fires, the recommendation never goes below its minimum replica count. Such as "4
 * replicas from 8:00 on weekdays, 1 from 20:00".
 *
 * @param cron Spring's six-field cron expression (second, minute, hour, day of month,
 * month, day of week)
 * @param minReplicas the minimum while it is active
 * @since 0.1.0
 */
public record ScheduledMinimum(String cron, int minReplicas) {

	// Windows searched backwards for the last firing, smallest first: a frequent
	// expression is found in a short window with few steps, a rare one in a long window.
	private static final Duration[] LOOK_BACK = { Duration.ofMinutes(1), Duration.ofHours(1), Duration.ofDays(1),
			Duration.ofDays(32), Duration.ofDays(367) };

	/**
	 * Creates a schedule.
	 * @param cron the cron expression
	 * @param minReplicas the minimum while it is active
	 * @throws IllegalArgumentException if the expression cannot be parsed or the minimum
	 * is negative
	 */
	public ScheduledMinimum {
		CronExpression.parse(cron);
		Assert.isTrue(minReplicas >= 0, () -> "minReplicas must not be negative but was " + minReplicas);
	}

	/**
	 * When the schedule last fired at or before a time.
	 * @param now the time
	 * @return the last firing, or {@code null} if it did not fire in the year before
	 */
	@Nullable
	public ZonedDateTime lastFiring(ZonedDateTime now) {
		CronExpression expression = CronExpression.parse(this.cron);
		for (Duration lookBack : LOOK_BACK) {
			ZonedDateTime last = null;
			ZonedDateTime next = expression.next(now.minus(lookBack));
			while (next != null && !next.isAfter(now)) {
				last = next;
				next = expression.next(next);
			}
			if (last != null) {
				return last;
			}
		}
		return null;
	}

}
