package dev.protevus.boot.autoconfigure.async;

import java.util.concurrent.ExecutorService;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.jvm.ExecutorServiceMetrics;

/**
 * Meters of each worker pool, tagged {@code name=<pool>}: Micrometer's executor meters
 * ({@code executor.active}, {@code executor.queued}, {@code executor.completed}, the task
 * timers {@code executor} and {@code executor.idle}, and the pool sizes), plus the
 * counter {@code executor.rejected}, which Micrometer does not have.
 */
class WorkerPoolMeters {

	private final MeterRegistry registry;

	WorkerPoolMeters(MeterRegistry registry) {
		this.registry = registry;
	}

	/**
	 * Binds the pool's meters and returns the executor to run tasks through, which times
	 * them.
	 */
	ExecutorService bind(WorkerPoolExecutor executor) {
		FunctionCounter.builder("executor.rejected", executor, WorkerPoolExecutor::rejectedCount)
			.tag("name", executor.pool())
			.description("Tasks a worker pool refused because its queue was full or it was shutting down")
			.baseUnit(BaseUnits.TASKS)
			.register(this.registry);
		return ExecutorServiceMetrics.monitor(this.registry, executor, executor.pool(), Tags.empty());
	}

}
