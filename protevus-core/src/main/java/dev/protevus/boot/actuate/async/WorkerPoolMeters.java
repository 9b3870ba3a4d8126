package dev.protevus.boot.actuate.async;

import java.util.concurrent.ExecutorService;

import dev.protevus.boot.async.ExecutorWorkerPools;
import dev.protevus.boot.async.WorkerPoolExecutor;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.jvm.ExecutorServiceMetrics;

/**
 * Meters of each worker pool of {@link ExecutorWorkerPools}, tagged {@code name=<pool>}:
 * Micrometer's executor meters ({@code executor.active}, {@code executor.queued},
 * {@code executor.completed}, the task timers {@code executor} and {@code executor.idle},
 * and the pool sizes), plus the counter {@code protevus.executor.rejected}, which
 * Micrometer does not have. Not a {@code MeterBinder}: the task timers wrap the executor
 * that a pool's scheduler runs on, so they are bound as each pool is created, through
 * {@link #bind(WorkerPoolExecutor)} given to
 * {@link ExecutorWorkerPools#ExecutorWorkerPools(java.util.List, java.time.Duration, java.util.function.Function)}.
 *
 * @since 0.1.0
 */
public class WorkerPoolMeters {

	/**
	 * Name of the counter of refused tasks. Micrometer owns {@code executor.*}, so
	 * Protevus's own executor meter lives under {@code protevus.}.
	 */
	public static final String REJECTED = "protevus.executor.rejected";

	private final MeterRegistry registry;

	/**
	 * Creates the meters of the pools, in a registry.
	 * @param registry the registry to bind them to
	 */
	public WorkerPoolMeters(MeterRegistry registry) {
		this.registry = registry;
	}

	/**
	 * Binds a pool's meters.
	 * @param executor the pool's executor
	 * @return the executor service to run the pool's tasks through, which times them
	 */
	public ExecutorService bind(WorkerPoolExecutor executor) {
		FunctionCounter.builder(REJECTED, executor, WorkerPoolExecutor::rejectedCount)
			.tag("name", executor.pool())
			.description("Tasks a worker pool refused because its queue was full or it was shutting down")
			.baseUnit(BaseUnits.TASKS)
			.register(this.registry);
		return ExecutorServiceMetrics.monitor(this.registry, executor, executor.pool(), Tags.empty());
	}

}
