package dev.protevus.boot.data.pool;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import dev.protevus.boot.task.BackgroundScheduler;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.Disposable;

import org.springframework.util.Assert;

/**
 * Remembers where each connection was acquired and, when one is still held after the
 * threshold, logs that place once: the usual cause is a connection taken outside
 * {@code DatabaseClient} or a transaction and never closed. Holds at most one record per
 * open connection, and checks on the shared {@link BackgroundScheduler} rather than a
 * thread of its own.
 *
 * @since 0.1.0
 */
public class ConnectionLeakDetector implements Disposable {

	private static final Log logger = LogFactory.getLog("dev.protevus.boot.data.ConnectionLeak");

	private final Duration threshold;

	private final Map<Long, Held> held = new ConcurrentHashMap<>();

	private final AtomicLong ids = new AtomicLong();

	private final Disposable check;

	/**
	 * Creates a detector that checks the held connections every half threshold, and at
	 * most every 100 ms.
	 * @param threshold how long a connection may be held before it is reported
	 * @param scheduler where the periodic check runs
	 */
	public ConnectionLeakDetector(Duration threshold, BackgroundScheduler scheduler) {
		Assert.isTrue(threshold.compareTo(Duration.ZERO) > 0, () -> "threshold must be positive but was " + threshold);
		this.threshold = threshold;
		Duration period = Duration.ofMillis(Math.max(100, threshold.toMillis() / 2));
		this.check = scheduler.schedulePeriodically("r2dbc connection leak detection", this::report, period, period);
	}

	/**
	 * Starts watching a connection just handed out.
	 * @param acquisition where it was acquired
	 * @return the id to release it with
	 */
	public long acquired(Throwable acquisition) {
		long id = this.ids.incrementAndGet();
		this.held.put(id, new Held(System.nanoTime(), acquisition));
		return id;
	}

	/**
	 * Stops watching a connection that has been closed.
	 * @param id the id {@link #acquired(Throwable)} returned for it
	 */
	public void released(long id) {
		this.held.remove(id);
	}

	/**
	 * Logs every connection held longer than the threshold that has not been reported
	 * yet.
	 */
	public void report() {
		long now = System.nanoTime();
		this.held.forEach((id, held) -> {
			if (!held.reported && now - held.acquiredAt > this.threshold.toNanos()) {
				held.reported = true;
				logger.warn("Connection " + id + " has been held for more than " + this.threshold.toMillis()
						+ " ms without being closed; possible leak", held.acquisition);
			}
		});
	}

	/**
	 * Stops the periodic check.
	 */
	@Override
	public void dispose() {
		this.check.dispose();
	}

	@Override
	public boolean isDisposed() {
		return this.check.isDisposed();
	}

	private static final class Held {

		private final long acquiredAt;

		private final Throwable acquisition;

		private volatile boolean reported;

		Held(long acquiredAt, Throwable acquisition) {
			this.acquiredAt = acquiredAt;
			this.acquisition = acquisition;
		}

	}

}
