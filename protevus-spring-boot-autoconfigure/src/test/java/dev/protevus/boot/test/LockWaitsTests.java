package dev.protevus.boot.test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockingOperationError;
import reactor.core.scheduler.Schedulers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The test kit's BlockHound callback where BlockHound is installed (by
 * blockhound-junit-platform, in this module's tests): a lock wait on a non-blocking
 * thread is recorded and leaves the lock usable, anything else still throws.
 */
class LockWaitsTests {

	@AfterEach
	void forgetWaits() {
		// The waits these tests cause on purpose must not fail them.
		LockWaits.takeAll();
	}

	@Test
	void aLockWaitOnANonBlockingThreadIsRecordedAndTheLockStaysUsable() throws InterruptedException {
		ReentrantLock lock = new ReentrantLock();
		lock.lock();
		CompletableFuture<Void> acquired = new CompletableFuture<>();
		try {
			Schedulers.parallel().schedule(() -> {
				try {
					lock.lock();
					lock.unlock();
					acquired.complete(null);
				}
				catch (Throwable ex) {
					acquired.completeExceptionally(ex);
				}
			});
			await().atMost(Duration.ofSeconds(10)).until(lock::hasQueuedThreads);
		}
		finally {
			lock.unlock();
		}
		assertThat(acquired).succeedsWithin(Duration.ofSeconds(10));
		assertThat(lock.tryLock(5, TimeUnit.SECONDS)).as("the lock is still usable").isTrue();
		lock.unlock();
		assertThat(lock.hasQueuedThreads()).isFalse();
		AssertionError waits = LockWaits.takeAll();
		assertThat(waits).isNotNull()
			.hasMessageContaining("parallel-")
			.hasMessageContaining("park")
			.hasMessageContaining("taken by " + LockWaitsTests.class.getName());
		assertThat(LockWaits.takeAll()).as("taken once").isNull();
	}

	@Test
	void otherBlockingCallsStillThrowWhereTheyHappen() {
		CompletableFuture<Void> slept = new CompletableFuture<>();
		Schedulers.parallel().schedule(() -> {
			try {
				Thread.sleep(1);
				slept.complete(null);
			}
			catch (Throwable ex) {
				slept.completeExceptionally(ex);
			}
		});
		assertThat(slept).failsWithin(Duration.ofSeconds(10))
			.withThrowableOfType(java.util.concurrent.ExecutionException.class)
			.withCauseInstanceOf(BlockingOperationError.class);
		assertThat(LockWaits.takeAll()).isNull();
	}

	@Test
	void waitsOutsideALockAcquisitionAreNotLockWaits() {
		assertThat(LockWaits.lockTaker()).isNull();
	}

	@Test
	void locksTakenInsideLibrariesAreToldApartFromTheApplicationsOwn() {
		assertThat(LockWaits.isLibrary("io.lettuce.core.protocol.SharedLock")).isTrue();
		assertThat(LockWaits.isLibrary("io.github.resilience4j.core.metrics.FixedSizeSlidingWindowMetrics")).isTrue();
		assertThat(LockWaits.isLibrary("dev.protevus.boot.async.WorkerPoolExecutor")).isFalse();
		assertThat(LockWaits.isLibrary("com.example.orders.OrderService")).isFalse();
	}

}
