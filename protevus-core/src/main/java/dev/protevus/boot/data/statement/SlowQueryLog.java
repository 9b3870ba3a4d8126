package dev.protevus.boot.data.statement;

import java.time.Duration;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.util.Assert;

/**
 * Logs statements that took longer than a threshold, with their SQL but never their bound
 * values: parameters often hold personal data or secrets. The time runs until the caller
 * has read the results, so a slow consumer makes a fast statement look slow. Logs to
 * {@code dev.protevus.boot.data.SlowQuery} at WARN.
 *
 * @since 0.1.0
 */
public class SlowQueryLog implements StatementObserver {

	private static final Log logger = LogFactory.getLog("dev.protevus.boot.data.SlowQuery");

	private final Duration threshold;

	/**
	 * Creates a log of slow statements.
	 * @param threshold statements at least this slow are logged; must be positive
	 */
	public SlowQueryLog(Duration threshold) {
		Assert.isTrue(threshold.compareTo(Duration.ZERO) > 0, () -> "threshold must be positive but was " + threshold);
		this.threshold = threshold;
	}

	@Override
	public void executed(String sql, Duration duration, boolean success, boolean bound) {
		if (duration.compareTo(this.threshold) >= 0 && logger.isWarnEnabled()) {
			logger.warn("Slow statement (" + duration.toMillis() + " ms, threshold " + this.threshold.toMillis() + " ms"
					+ (success ? "" : ", failed") + "): " + StatementText.loggable(sql)
					+ (bound ? " [bound values masked]" : ""));
		}
	}

}
