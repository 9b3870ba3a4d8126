package dev.protevus.sample.bookstore;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockingOperationError;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/**
 * BlockHound is installed for every test of the sample by its JUnit Platform listener, so a
 * blocking call on a Netty or Reactor thread fails the request, and with it the test.
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

	private static Mono<String> sleepOn(Scheduler scheduler) {
		return Mono.fromCallable(() -> {
			Thread.sleep(1);
			return "slept";
		}).subscribeOn(scheduler);
	}

}
