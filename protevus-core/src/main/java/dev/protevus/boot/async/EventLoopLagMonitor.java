package dev.protevus.boot.async;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

import dev.protevus.boot.task.BackgroundScheduler;
import io.netty.util.concurrent.EventExecutor;
import reactor.core.Disposable;

import org.springframework.context.SmartLifecycle;
import org.springframework.lang.Nullable;
import org.springframework.util.Assert;

/**
 * Measures event-loop lag by probing: every interval, each loop without a probe in flight
 * gets a task that records how long it waited to run. Completed probes are kept for the
 * window; a probe still waiting counts with its age, so a stalled loop shows before it
 * recovers. The probes are sent from the shared {@link BackgroundScheduler}, which also
 * computes the statistics; event loops only queue their results. Stopping it ensures that
 * no probe is sent once {@link #stop()} returns, so stop it before the event loops shut
 * down (as a {@link SmartLifecycle} bean in the default phase is).
 *
 * @since 0.1.0
 */
public final class EventLoopLagMonitor implements EventLoopLag, SmartLifecycle {

	private static final long IDLE = Long.MIN_VALUE;

	private final Supplier<? extends Iterable<EventExecutor>> loops;

	private final BackgroundScheduler scheduler;

	private final long interval;

	private final long window;

	private final Map<EventExecutor, Probe> probes = new ConcurrentHashMap<>();

	/**
	 * Probes the event loops have run, as {finished at, lag} in nanoseconds, not yet
	 * moved to the window.
	 */
	private final Queue<long[]> finished = new ConcurrentLinkedQueue<>();

	/**
	 * Completed probes within the window; touched by {@link #tick} only, whose runs are
	 * sequential and ordered by the lock of {@link Probing}.
	 */
	private final ArrayDeque<long[]> samples = new ArrayDeque<>();

	private volatile long max;

	private volatile long p99;

	@Nullable
	private Probing probing;

	/**
	 * Creates a monitor, which probes once started.
	 * @param loops the event loops, resolved when the monitor starts
	 * @param scheduler the scheduler to send the probes from
	 * @param interval how often each event loop is probed
	 * @param window the sliding window of {@link #max()} and {@link #p99()}
	 */
	public EventLoopLagMonitor(Supplier<? extends Iterable<EventExecutor>> loops, BackgroundScheduler scheduler,
			Duration interval, Duration window) {
		Assert.isTrue(interval.compareTo(Duration.ZERO) > 0, () -> "interval must be positive but was " + interval);
		Assert.isTrue(window.compareTo(interval) >= 0,
				() -> "window must be at least the interval (" + interval + ") but was " + window);
		this.loops = loops;
		this.scheduler = scheduler;
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
		if (this.probing != null) {
			return;
		}
		Probing probing = new Probing(this.loops.get());
		Duration interval = Duration.ofNanos(this.interval);
		probing.task = this.scheduler.schedulePeriodically("event-loop lag probe", probing, interval, interval);
		this.probing = probing;
	}

	@Override
	public synchronized void stop() {
		if (this.probing != null) {
			this.probing.stop();
			this.probing = null;
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.probing != null;
	}

	private void tick(Iterable<EventExecutor> eventLoops) {
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

	/**
	 * The periodic task of one start of the monitor. A run and {@link #stop()} exclude
	 * each other, so that once {@code stop()} returns no run sends a probe, even one that
	 * had already begun when the task was disposed (disposing does not wait for it).
	 */
	private final class Probing implements Runnable {

		private final Iterable<EventExecutor> eventLoops;

		@Nullable
		private volatile Disposable task;

		private boolean stopped;

		Probing(Iterable<EventExecutor> eventLoops) {
			this.eventLoops = eventLoops;
		}

		@Override
		public synchronized void run() {
			if (!this.stopped) {
				tick(this.eventLoops);
			}
		}

		void stop() {
			Disposable task = this.task;
			if (task != null) {
				task.dispose();
			}
			synchronized (this) {
				this.stopped = true;
			}
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
