package dev.protevus.boot.autoconfigure.data;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import org.springframework.beans.factory.DisposableBean;

/**
 * Remembers where each connection was acquired and, when one is still held after the
 * threshold, logs that place once: the usual cause is a connection taken outside
 * {@code DatabaseClient} or a transaction and never closed. Holds at most one record per
 * open connection.
 */
class ConnectionLeakDetector implements DisposableBean {

	private static final Log logger = LogFactory.getLog("dev.protevus.boot.data.ConnectionLeak");

	private final Duration threshold;

	private final Map<Long, Held> held = new ConcurrentHashMap<>();

	private final AtomicLong ids = new AtomicLong();

	private final Scheduler scheduler = Schedulers.newSingle("protevus-r2dbc-leak-detection", true);

	private final Disposable check;

	ConnectionLeakDetector(Duration threshold) {
		this.threshold = threshold;
		long period = Math.max(100, threshold.toMillis() / 2);
		this.check = this.scheduler.schedulePeriodically(this::report, period, period, TimeUnit.MILLISECONDS);
	}

	/**
	 * Starts watching a connection just handed out.
	 * @param acquisition where it was acquired
	 * @return the id to release it with
	 */
	long acquired(Throwable acquisition) {
		long id = this.ids.incrementAndGet();
		this.held.put(id, new Held(System.nanoTime(), acquisition));
		return id;
	}

	void released(long id) {
		this.held.remove(id);
	}

	void report() {
		long now = System.nanoTime();
		this.held.forEach((id, held) -> {
			if (!held.reported && now - held.acquiredAt > this.threshold.toNanos()) {
				held.reported = true;
				logger.warn("Connection " + id + " has been held for more than " + this.threshold.toMillis()
						+ " ms without being closed; possible leak", held.acquisition);
			}
		});
	}

	@Override
	public void destroy() {
		this.check.dispose();
		this.scheduler.dispose();
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
