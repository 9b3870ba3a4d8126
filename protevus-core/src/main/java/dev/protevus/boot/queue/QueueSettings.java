package dev.protevus.boot.queue;

import java.time.Duration;

import org.springframework.util.Assert;

/**
 * How one queue runs: how many of its jobs one instance runs at once, how often a job is
 * tried, how long a retry waits, when a job left by a crashed consumer is taken over, and
 * how many jobs the queue holds at most.
 *
 * @param concurrency jobs one instance runs at once
 * @param maxAttempts attempts before a job moves to the dead-letter stream
 * @param backoff the wait before each retry
 * @param visibilityTimeout how long a job may stay unacknowledged on a consumer before
 * another takes it over
 * @param maxLength jobs the queue, and its dead-letter stream, keep at most; the oldest
 * go first
 * @since 0.1.0
 */
public record QueueSettings(int concurrency, int maxAttempts, Backoff backoff, Duration visibilityTimeout,
		long maxLength) {

	/**
	 * Checks the settings.
	 */
	public QueueSettings {
		Assert.isTrue(concurrency > 0, () -> "concurrency must be positive but was " + concurrency);
		Assert.isTrue(maxAttempts > 0, () -> "maxAttempts must be positive but was " + maxAttempts);
		Assert.notNull(backoff, "backoff must not be null");
		Assert.isTrue(visibilityTimeout.compareTo(Duration.ZERO) > 0,
				() -> "visibilityTimeout must be positive but was " + visibilityTimeout);
		Assert.isTrue(maxLength > 0, () -> "maxLength must be positive but was " + maxLength);
	}

	/**
	 * The defaults: 4 at once, 5 attempts, backoff from 1 s doubling up to 5 min, 60 s
	 * visibility timeout, a million jobs.
	 * @return the defaults
	 */
	public static QueueSettings defaults() {
		return new QueueSettings(4, 5, new Backoff(Duration.ofSeconds(1), 2.0, Duration.ofMinutes(5)),
				Duration.ofSeconds(60), 1_000_000);
	}

	/**
	 * Exponential backoff: {@code initial}, then each wait {@code multiplier} times the
	 * previous one, never more than {@code max}.
	 *
	 * @param initial the wait before the second attempt
	 * @param multiplier the growth of each further wait, at least 1
	 * @param max the longest wait
	 */
	public record Backoff(Duration initial, double multiplier, Duration max) {

		/**
		 * Checks the backoff.
		 */
		public Backoff {
			Assert.isTrue(initial.compareTo(Duration.ZERO) > 0, () -> "initial must be positive but was " + initial);
			Assert.isTrue(multiplier >= 1, () -> "multiplier must be at least 1 but was " + multiplier);
			Assert.isTrue(max.compareTo(initial) >= 0,
					() -> "max must not be below initial (" + initial + ") but was " + max);
		}

		/**
		 * The wait after an attempt failed.
		 * @param attempt the attempt that failed, from 1
		 * @return the wait before the next attempt
		 */
		public Duration delay(int attempt) {
			double nanos = this.initial.toNanos() * Math.pow(this.multiplier, Math.max(0, attempt - 1));
			return (nanos >= this.max.toNanos()) ? this.max : Duration.ofNanos((long) nanos);
		}

	}

}
