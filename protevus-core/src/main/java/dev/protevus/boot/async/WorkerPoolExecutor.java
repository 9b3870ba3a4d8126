package dev.protevus.boot.async;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The executor of one worker pool of {@link ExecutorWorkerPools}: at most {@code threads}
 * threads named {@code protevus-<pool>-<n>}, a bounded queue, and a rejection that fails
 * at once with {@link WorkerPoolFullException} instead of running the task on the caller
 * (which may be an event loop). Public so that meters can read its state;
 * {@link ExecutorWorkerPools} creates it.
 *
 * @since 0.1.0
 */
public final class WorkerPoolExecutor extends ThreadPoolExecutor {

	private static final ThreadLocal<String> CURRENT_POOL = new ThreadLocal<>();

	private final String pool;

	private final LongAdder rejected = new LongAdder();

	// A linked queue allocates as tasks arrive, so a large capacity costs nothing until
	// used.
	WorkerPoolExecutor(WorkerPoolSettings settings) {
		super(settings.threads(), settings.threads(), Math.max(1, settings.keepAlive().toNanos()), TimeUnit.NANOSECONDS,
				new LinkedBlockingQueue<>(settings.queueCapacity()));
		this.pool = settings.name();
		allowCoreThreadTimeOut(true);
		setThreadFactory(threadFactory(settings));
		setRejectedExecutionHandler((task, executor) -> reject());
	}

	/**
	 * Queues a task or starts a thread for it, taking the queue's lock for a few
	 * instructions; overridden only to name the method that protevus-spring-boot-test
	 * lets BlockHound allow.
	 */
	@Override
	public void execute(Runnable command) {
		super.execute(command);
	}

	/**
	 * The name of the pool this executor runs.
	 * @return the pool's name
	 */
	public String pool() {
		return this.pool;
	}

	/**
	 * How many tasks the pool refused so far, because it was full or shutting down.
	 * @return the number of refused tasks
	 */
	public long rejectedCount() {
		return this.rejected.sum();
	}

	/**
	 * The pool whose thread runs the caller, or {@code null} outside every worker pool.
	 */
	static String currentPool() {
		return CURRENT_POOL.get();
	}

	private void reject() {
		this.rejected.increment();
		if (isShutdown()) {
			throw new RejectedExecutionException("Worker pool '" + this.pool + "' is shutting down");
		}
		throw new WorkerPoolFullException(this.pool);
	}

	private static ThreadFactory threadFactory(WorkerPoolSettings settings) {
		String prefix = "protevus-" + settings.name() + "-";
		ThreadFactory threads = settings.virtual() ? VirtualThreads.factory(prefix) : platformThreads(prefix);
		return (task) -> threads.newThread(() -> {
			CURRENT_POOL.set(settings.name());
			task.run();
		});
	}

	private static ThreadFactory platformThreads(String prefix) {
		AtomicLong count = new AtomicLong();
		return (task) -> {
			Thread thread = new Thread(task, prefix + count.incrementAndGet());
			// Like Reactor's schedulers: a pool left open must not keep the JVM alive.
			thread.setDaemon(true);
			return thread;
		};
	}

}
