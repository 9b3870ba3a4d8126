package dev.protevus.boot.async;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.lang.Nullable;

/**
 * {@link WorkerPools} that run each pool on a {@link WorkerPoolExecutor} behind a Reactor
 * scheduler. Destroying it shuts the pools down gracefully: no new work, queued work
 * finishes within the given time, then what still runs is interrupted and what is still
 * queued is dropped.
 *
 * @since 0.1.0
 */
public final class ExecutorWorkerPools implements WorkerPools, DisposableBean {

	private static final Log logger = LogFactory.getLog(ExecutorWorkerPools.class);

	private final Map<String, WorkerPoolExecutor> executors = new LinkedHashMap<>();

	private final Map<String, Scheduler> schedulers = new LinkedHashMap<>();

	private final Duration awaitTermination;

	/**
	 * Creates the pools.
	 * @param pools the pools' settings, in order
	 * @param awaitTermination how long destroying the pools waits for their work
	 */
	public ExecutorWorkerPools(List<WorkerPoolSettings> pools, Duration awaitTermination) {
		this(pools, awaitTermination, Function.identity());
	}

	/**
	 * Creates the pools, each scheduler running its tasks through the executor service
	 * that {@code instrumentation} returns, such as Micrometer's timed wrapper.
	 * @param pools the pools' settings, in order
	 * @param awaitTermination how long destroying the pools waits for their work
	 * @param instrumentation the executor service to run a pool's tasks through, given
	 * its executor
	 */
	public ExecutorWorkerPools(List<WorkerPoolSettings> pools, Duration awaitTermination,
			Function<? super WorkerPoolExecutor, ? extends ExecutorService> instrumentation) {
		this.awaitTermination = awaitTermination;
		for (WorkerPoolSettings settings : pools) {
			WorkerPoolExecutor executor = new WorkerPoolExecutor(settings);
			ExecutorService service = instrumentation.apply(executor);
			this.executors.put(settings.name(), executor);
			this.schedulers.put(settings.name(),
					Schedulers.fromExecutorService(service, "protevus-" + settings.name()));
		}
	}

	@Override
	public Scheduler scheduler(String pool) {
		Scheduler scheduler = this.schedulers.get(pool);
		if (scheduler == null) {
			throw new UnknownWorkerPoolException(pool, List.copyOf(this.schedulers.keySet()), null);
		}
		return scheduler;
	}

	/**
	 * The executor of a pool, to read its state.
	 * @param pool the pool's name
	 * @return the executor, or {@code null} if there is no pool of that name
	 */
	@Nullable
	public WorkerPoolExecutor executor(String pool) {
		return this.executors.get(pool);
	}

	@Override
	public void destroy() {
		this.executors.values().forEach(WorkerPoolExecutor::shutdown);
		long deadline = System.nanoTime() + this.awaitTermination.toNanos();
		try {
			for (WorkerPoolExecutor executor : this.executors.values()) {
				executor.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		for (WorkerPoolExecutor executor : this.executors.values()) {
			if (!executor.isTerminated()) {
				int dropped = executor.shutdownNow().size();
				logger.warn("Worker pool '" + executor.pool() + "' did not finish its work within "
						+ this.awaitTermination + " (protevus.async.shutdown.await-termination): interrupted its "
						+ "running tasks and dropped " + dropped + " queued");
			}
		}
	}

}
