package dev.protevus.boot.autoconfigure.async;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.protevus.boot.async.WorkerPools;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Occupies a pool's thread with a task that waits for a latch, so that tests can fill the
 * pool's queue without timing.
 */
final class HeldPools {

	private HeldPools() {
	}

	/**
	 * Starts a task on the pool that holds its thread until {@code release} opens (ten
	 * seconds at most), and returns once it runs.
	 * @return the task's result, {@code true} if released in time
	 */
	static Mono<Boolean> hold(WorkerPools pools, String pool, CountDownLatch release) throws InterruptedException {
		CountDownLatch started = new CountDownLatch(1);
		Mono<Boolean> held = pools.offload(pool, () -> {
			started.countDown();
			return release.await(10, TimeUnit.SECONDS);
		}).cache();
		held.subscribe();
		assertThat(started.await(5, TimeUnit.SECONDS)).as("the held task started").isTrue();
		return held;
	}

}
