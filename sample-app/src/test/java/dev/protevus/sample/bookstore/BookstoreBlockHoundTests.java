package dev.protevus.sample.bookstore;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;

import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;
import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockingOperationError;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/**
 * BlockHound is installed for every test of the sample by its JUnit Platform listener, so a
 * blocking call on a Netty or Reactor thread fails the request, and with it the test. What it
 * allows comes from protevus-spring-boot-test's {@code ProtevusBlockHoundIntegration}.
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
		// A lost race, forced: the limiter's state is never null, so the exchange fails and the
		// limiter backs off with LockSupport.parkNanos(1), which anywhere else fails.
		StepVerifier.create(Mono.fromCallable(() -> compareAndSet.invoke(limiter, null, null))
			.subscribeOn(Schedulers.parallel())).expectNext(false).expectComplete().verify(Duration.ofSeconds(5));
		StepVerifier.create(Mono.fromRunnable(() -> LockSupport.parkNanos(1)).subscribeOn(Schedulers.parallel()))
			.expectError(BlockingOperationError.class)
			.verify(Duration.ofSeconds(5));
	}

	private static Mono<String> sleepOn(Scheduler scheduler) {
		return Mono.fromCallable(() -> {
			Thread.sleep(1);
			return "slept";
		}).subscribeOn(scheduler);
	}

}
