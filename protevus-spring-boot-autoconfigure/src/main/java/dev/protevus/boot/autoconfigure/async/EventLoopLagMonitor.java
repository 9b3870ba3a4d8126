package dev.protevus.boot.autoconfigure.async;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import dev.protevus.boot.async.EventLoopLag;
import io.netty.util.concurrent.EventExecutor;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.SmartLifecycle;

/**
 * Measures event-loop lag by probing: every interval, each loop without a probe in flight
 * gets a task that records how long it waited to run. Completed probes are kept for the
 * window; a probe still waiting counts with its age, so a stalled loop shows before it
 * recovers. Event loops only queue their results; the statistics are computed on the
 * monitor's own daemon thread.
 */
final class EventLoopLagMonitor implements EventLoopLag, SmartLifecycle {

	private static final Log logger = LogFactory.getLog(EventLoopLagMonitor.class);

	private static final long IDLE = Long.MIN_VALUE;

	private final Supplier<? extends Iterable<EventExecutor>> loops;

	private final long interval;

	private final long window;

	private final Map<EventExecutor, Probe> probes = new ConcurrentHashMap<>();

	/**
	 * Probes the event loops have run, as {finished at, lag} in nanoseconds, not yet
	 * moved to the window.
	 */
	private final Queue<long[]> finished = new ConcurrentLinkedQueue<>();

	/**
	 * Completed probes within the window; touched by the monitor's thread only.
	 */
	private final ArrayDeque<long[]> samples = new ArrayDeque<>();

	private volatile long max;

	private volatile long p99;

	private ScheduledExecutorService timer;

	/**
	 * @param loops the event loops, resolved when the monitor starts
	 */
	EventLoopLagMonitor(Supplier<? extends Iterable<EventExecutor>> loops, Duration interval, Duration window) {
		this.loops = loops;
		this.interval = interval.toNanos();
		this.window = window.toNanos();
	}

	@Override
	public Duration max() {
		long now = System.nanoTime();
		long pending = 0;
		for (Probe probe : this.probes.values()) {
			pending = Math.max(pending, probe.age(now));
		}
		return Duration.ofNanos(Math.max(this.max, pending));
	}

	@Override
	public Duration p99() {
		return Duration.ofNanos(this.p99);
	}

	@Override
	public synchronized void start() {
		if (this.timer != null) {
			return;
		}
		Iterable<EventExecutor> eventLoops = this.loops.get();
		this.timer = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "protevus-eventloop-lag");
			thread.setDaemon(true);
			return thread;
		});
		this.timer.scheduleWithFixedDelay(() -> tick(eventLoops), this.interval, this.interval, TimeUnit.NANOSECONDS);
	}

	@Override
	public synchronized void stop() {
		if (this.timer == null) {
			return;
		}
		this.timer.shutdownNow();
		try {
			// A probe sent after this returns could meet event loops that are being
			// disposed.
			this.timer.awaitTermination(1, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.timer = null;
	}

	@Override
	public synchronized boolean isRunning() {
		return this.timer != null;
	}

	private void tick(Iterable<EventExecutor> eventLoops) {
		try {
			long now = System.nanoTime();
			for (long[] sample; (sample = this.finished.poll()) != null;) {
				this.samples.addLast(sample);
			}
			while (!this.samples.isEmpty() && now - this.samples.peekFirst()[0] > this.window) {
				this.samples.pollFirst();
			}
			for (EventExecutor loop : eventLoops) {
				this.probes.computeIfAbsent(loop, Probe::new).send(now);
			}
			long[] lags = new long[this.samples.size() + this.probes.size()];
			int count = 0;
			for (long[] sample : this.samples) {
				lags[count++] = sample[1];
			}
			for (Probe probe : this.probes.values()) {
				long age = probe.age(now);
				// A probe sent on this tick has no age yet; counting it as zero would
				// hide lag.
				if (age > 0) {
					lags[count++] = age;
				}
			}
			Arrays.sort(lags, 0, count);
			this.max = (count > 0) ? lags[count - 1] : 0;
			this.p99 = (count > 0) ? lags[(int) Math.ceil(count * 0.99) - 1] : 0;
		}
		catch (RuntimeException ex) {
			// A periodic task that throws is never run again; keep measuring.
			logger.debug("Event loop lag probe failed", ex);
		}
	}

	/**
	 * The probe of one event loop, at most one in flight.
	 */
	private final class Probe implements Runnable {

		private final EventExecutor loop;

		private volatile long sentAt = IDLE;

		Probe(EventExecutor loop) {
			this.loop = loop;
		}

		void send(long now) {
			if (this.sentAt != IDLE) {
				return;
			}
			this.sentAt = now;
			try {
				this.loop.execute(this);
			}
			catch (RejectedExecutionException ex) {
				// The loop is shutting down.
				this.sentAt = IDLE;
			}
		}

		long age(long now) {
			long sent = this.sentAt;
			return (sent != IDLE) ? now - sent : 0;
		}

		@Override
		public void run() {
			long now = System.nanoTime();
			EventLoopLagMonitor.this.finished.offer(new long[] { now, now - this.sentAt });
			this.sentAt = IDLE;
		}

	}

}
