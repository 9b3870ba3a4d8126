package dev.protevus.sample.bookstore;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockingOperationError;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/**
 * BlockHound is installed for every test of the sample by its JUnit Platform listener, so a
 * blocking call on a Netty or Reactor thread fails the request, and with it the test.
 */
class BookstoreBlockHoundTests {

	@Test
	void blockingCallOnAParallelThreadFails() {
		Mono<String> blocking = Mono.fromCallable(() -> {
			Thread.sleep(1);
			return "slept";
		}).subscribeOn(Schedulers.parallel());
		StepVerifier.create(blocking).expectError(BlockingOperationError.class).verify(Duration.ofSeconds(5));
	}

	@Test
	void blockingCallOnABoundedElasticThreadIsAllowed() {
		Mono<String> blocking = Mono.fromCallable(() -> {
			Thread.sleep(1);
			return "slept";
		}).subscribeOn(Schedulers.boundedElastic());
		StepVerifier.create(blocking).expectNext("slept").expectComplete().verify(Duration.ofSeconds(5));
	}

}
