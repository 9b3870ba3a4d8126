package dev.protevus.boot.autoconfigure.async;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import dev.protevus.boot.async.WorkerPools;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.lang.Nullable;

/**
 * The worker pools of {@code protevus.async.pools}, each a {@link WorkerPoolExecutor}
 * behind a Reactor scheduler. Closing the application shuts them down gracefully: no new
 * work, queued work finishes within the configured time, then what still runs is
 * interrupted.
 */
final class ExecutorWorkerPools implements WorkerPools, DisposableBean {

	private static final Log logger = LogFactory.getLog(ExecutorWorkerPools.class);

	private final Map<String, WorkerPoolExecutor> executors = new LinkedHashMap<>();

	private final Map<String, Scheduler> schedulers = new LinkedHashMap<>();

	private final Duration awaitTermination;

	/**
	 * @param meters the pools' meters, or {@code null} without a meter registry
	 */
	ExecutorWorkerPools(List<WorkerPoolSettings> pools, Duration awaitTermination, @Nullable WorkerPoolMeters meters) {
		this.awaitTermination = awaitTermination;
		for (WorkerPoolSettings settings : pools) {
			WorkerPoolExecutor executor = new WorkerPoolExecutor(settings);
			ExecutorService service = (meters != null) ? meters.bind(executor) : executor;
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
	 * The executor of a pool, or {@code null} if there is no pool of that name.
	 */
	@Nullable
	WorkerPoolExecutor executor(String pool) {
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
