package dev.protevus.boot.task;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import org.springframework.util.Assert;

/**
 * The one scheduler that Protevus features run their background work on: periodic checks,
 * cleaners, monitors. Its threads are few, named {@value #THREAD_NAME_PREFIX}, daemon,
 * and may block; its queue of waiting tasks is bounded. Sharing it keeps the number of
 * Protevus threads the same however many features are on.
 * <p>
 * Periodic tasks keep running after one of their runs fails: the failure is logged.
 *
 * @since 0.1.0
 */
public final class BackgroundScheduler implements Disposable {

	/**
	 * Prefix of the scheduler's thread names.
	 */
	public static final String THREAD_NAME_PREFIX = "protevus-background";

	private static final Log logger = LogFactory.getLog(BackgroundScheduler.class);

	private final Scheduler scheduler;

	/**
	 * Creates a scheduler.
	 * @param threads how many threads it runs at most
	 * @param queuedTasks how many tasks may wait for a thread at most
	 */
	public BackgroundScheduler(int threads, int queuedTasks) {
		Assert.isTrue(threads > 0, () -> "threads must be positive but was " + threads);
		Assert.isTrue(queuedTasks > 0, () -> "queuedTasks must be positive but was " + queuedTasks);
		this.scheduler = Schedulers.newBoundedElastic(threads, queuedTasks, THREAD_NAME_PREFIX, 60, true);
	}

	/**
	 * Runs a task again and again, each run starting one period after the previous one
	 * was due. A run that throws is logged and the next one runs as planned.
	 * @param name what the task is, for the log
	 * @param task the task
	 * @param initialDelay delay before the first run
	 * @param period time between the starts of two runs
	 * @return disposing it stops the task
	 */
	public Disposable schedulePeriodically(String name, Runnable task, Duration initialDelay, Duration period) {
		Assert.isTrue(period.compareTo(Duration.ZERO) > 0, () -> "period must be positive but was " + period);
		return this.scheduler.schedulePeriodically(guarded(name, task), initialDelay.toNanos(), period.toNanos(),
				TimeUnit.NANOSECONDS);
	}

	/**
	 * Runs a task once, after a delay.
	 * @param name what the task is, for the log
	 * @param task the task
	 * @param delay how long to wait before it runs
	 * @return disposing it before it runs cancels it
	 */
	public Disposable schedule(String name, Runnable task, Duration delay) {
		return this.scheduler.schedule(guarded(name, task), delay.toNanos(), TimeUnit.NANOSECONDS);
	}

	/**
	 * The scheduler as Reactor's, for {@code subscribeOn} and {@code publishOn} of
	 * background work that may block.
	 * @return the scheduler
	 */
	public Scheduler scheduler() {
		return this.scheduler;
	}

	@Override
	public void dispose() {
		this.scheduler.dispose();
	}

	@Override
	public boolean isDisposed() {
		return this.scheduler.isDisposed();
	}

	private static Runnable guarded(String name, Runnable task) {
		return () -> {
			try {
				task.run();
			}
			catch (RuntimeException | Error ex) {
				logger.warn("Background task '" + name + "' failed", ex);
			}
		};
	}

}
