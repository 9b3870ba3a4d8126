package dev.protevus.sample.bookstore;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

import dev.protevus.boot.test.LockWaits;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;
import org.hibernate.validator.internal.util.ConcurrentReferenceHashMap;
import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockingOperationError;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * BlockHound is installed for every test of the sample by its JUnit Platform listener, so
 * a blocking call on a Netty or Reactor thread fails the request, and with it the test.
 * What it allows comes from protevus-spring-boot-test's
 * {@code ProtevusBlockHoundIntegration}.
 */
class BookstoreBlockHoundTests {

	@Test
	void blockingCallOnAParallelThreadFails() {
		StepVerifier.create(sleepOn(Schedulers.parallel()))
			.expectError(BlockingOperationError.class)
			.verify(Duration.ofSeconds(5));
	}

	@Test
	void blockingCallOnABoundedElasticThreadIsAllowed() {
		StepVerifier.create(sleepOn(Schedulers.boundedElastic()))
			.expectNext("slept")
			.expectComplete()
			.verify(Duration.ofSeconds(5));
	}

	@Test
	void rateLimiterBackingOffAfterALostRaceIsAllowedOnAParallelThread() {
		AtomicRateLimiter limiter = new AtomicRateLimiter("race", RateLimiterConfig.ofDefaults());
		// Looked up by name, so that this test fails, and the allowance is revisited, if
		// resilience4j renames the method.
		Method compareAndSet = Arrays.stream(AtomicRateLimiter.class.getDeclaredMethods())
			.filter((method) -> method.getName().equals("compareAndSet"))
			.findFirst()
			.orElseThrow(() -> new AssertionError("AtomicRateLimiter has no compareAndSet method any more"));
		compareAndSet.setAccessible(true);
		// A lost race, forced: the limiter's state is never null, so the exchange fails
		// and the
		// limiter backs off with LockSupport.parkNanos(1), which anywhere else fails.
		StepVerifier
			.create(Mono.fromCallable(() -> compareAndSet.invoke(limiter, null, null))
				.subscribeOn(Schedulers.parallel()))
			.expectNext(false)
			.expectComplete()
			.verify(Duration.ofSeconds(5));
		StepVerifier.create(Mono.fromRunnable(() -> LockSupport.parkNanos(1)).subscribeOn(Schedulers.parallel()))
			.expectError(BlockingOperationError.class)
			.verify(Duration.ofSeconds(5));
	}

	@Test
	void waitingForHibernateValidatorsCacheLockIsAllowedOnAParallelThread() throws Exception {
		ConcurrentReferenceHashMap<String, String> cache = new ConcurrentReferenceHashMap<>();
		// Its segments are looked up by name, so that this test fails, and the allowance
		// is
		// revisited, if Hibernate Validator changes how the map locks.
		Field field = ConcurrentReferenceHashMap.class.getDeclaredField("segments");
		field.setAccessible(true);
		List<ReentrantLock> segments = Arrays.stream((Object[]) field.get(cache))
			.map(ReentrantLock.class::cast)
			.toList();
		// Another request adding an entry, forced: while this thread holds every
		// segment's lock, the
		// put on the parallel thread parks, which anywhere else fails.
		segments.forEach(ReentrantLock::lock);
		try {
			StepVerifier
				.create(Mono.fromCallable(() -> cache.put("message", "interpolated"))
					.subscribeOn(Schedulers.parallel())
					.then(Mono.fromCallable(() -> cache.get("message"))))
				.then(() -> {
					await().atMost(Duration.ofSeconds(5))
						.until(() -> segments.stream().anyMatch(ReentrantLock::hasQueuedThreads));
					segments.forEach(ReentrantLock::unlock);
				})
				.expectNext("interpolated")
				.expectComplete()
				.verify(Duration.ofSeconds(5));
		}
		finally {
			segments.stream().filter(ReentrantLock::isHeldByCurrentThread).forEach(ReentrantLock::unlock);
		}
		assertThat(LockWaits.takeAll()).as("allowed").isNull();
		// Any other lock's wait is let through (thrown, BlockHound's error would leave
		// the lock unusable) and reported, for the test kit to fail the test on.
		ReentrantLock other = new ReentrantLock();
		other.lock();
		try {
			StepVerifier.create(Mono.fromRunnable(() -> {
				other.lock();
				other.unlock();
			}).subscribeOn(Schedulers.parallel())).then(() -> {
				await().atMost(Duration.ofSeconds(5)).until(other::hasQueuedThreads);
				other.unlock();
			}).expectComplete().verify(Duration.ofSeconds(5));
		}
		finally {
			if (other.isHeldByCurrentThread()) {
				other.unlock();
			}
		}
		assertThat(LockWaits.takeAll()).as("reported").isNotNull();
	}

	private static Mono<String> sleepOn(Scheduler scheduler) {
		return Mono.fromCallable(() -> {
			Thread.sleep(1);
			return "slept";
		}).subscribeOn(scheduler);
	}

}
