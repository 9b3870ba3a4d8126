package dev.protevus.boot.cache;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Logs a failing tier's errors at most once per interval, with a count of those it held
 * back, so that a dead Redis does not write one line per request.
 */
final class RateLimitedLog {

	private static final Log logger = LogFactory.getLog(TieredCache.class);

	private static final long INTERVAL_NANOS = Duration.ofSeconds(10).toNanos();

	private final String subject;

	private final AtomicLong nextLogAt = new AtomicLong(System.nanoTime());

	private final AtomicLong suppressed = new AtomicLong();

	RateLimitedLog(String subject) {
		this.subject = subject;
	}

	String subject() {
		return this.subject;
	}

	void warn(String operation, Throwable error) {
		long now = System.nanoTime();
		long next = this.nextLogAt.get();
		if (now - next >= 0 && this.nextLogAt.compareAndSet(next, now + INTERVAL_NANOS)) {
			long held = this.suppressed.getAndSet(0);
			logger.warn(this.subject + " " + operation + " failed, served as a miss: " + describe(error)
					+ ((held > 0) ? " (" + held + " similar errors in the last interval not logged)" : ""));
		}
		else {
			this.suppressed.incrementAndGet();
		}
	}

	private static String describe(Throwable error) {
		String message = error.getMessage();
		return error.getClass().getSimpleName() + ((message != null) ? ": " + message : "");
	}

}
