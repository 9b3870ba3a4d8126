package dev.protevus.boot.async;

import java.util.concurrent.Callable;
import java.util.concurrent.RejectedExecutionException;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Named, bounded worker pools ({@code cpu}, {@code blocking} and those configured under
 * {@code protevus.async.pools}) that run work which must not run on a Netty event loop. A
 * pool whose queue is full rejects work at once with {@link WorkerPoolFullException}, so
 * overload turns into quick 503 answers rather than growing queues.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface WorkerPools {

	/**
	 * The Reactor scheduler of a pool, for {@code subscribeOn} and {@code publishOn}. It
	 * is not time-capable: delayed and periodic tasks are rejected, so use it after a
	 * delay operator, not for one.
	 * @param pool the pool's name
	 * @return the pool's scheduler
	 * @throws IllegalArgumentException if there is no pool of that name
	 */
	Scheduler scheduler(String pool);

	/**
	 * Runs a task on a pool when the returned {@code Mono} is subscribed, and emits its
	 * result (empty for {@code null}) on a thread of that pool.
	 * @param <T> the result type
	 * @param pool the pool's name
	 * @param task the work, which may block
	 * @return the task's result, or the {@link WorkerPoolFullException} of a full pool
	 * @throws IllegalArgumentException if there is no pool of that name
	 */
	default <T> Mono<T> offload(String pool, Callable<T> task) {
		return Mono.fromCallable(task).subscribeOn(scheduler(pool)).onErrorMap(WorkerPools::unwrapRejection);
	}

	/**
	 * Reactor wraps a scheduler's rejection in its own exception; hand the pool's own one
	 * (such as {@link WorkerPoolFullException}) to the subscriber instead.
	 */
	private static Throwable unwrapRejection(Throwable error) {
		if (error instanceof RejectedExecutionException
				&& error.getCause() instanceof RejectedExecutionException cause) {
			return cause;
		}
		return error;
	}

}
