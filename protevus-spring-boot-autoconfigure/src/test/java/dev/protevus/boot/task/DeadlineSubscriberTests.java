package dev.protevus.boot.task;

import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

class DeadlineSubscriberTests {

	@Test
	void valueBeforeTheDeadlineIsPassedOnAndStopsTheClock() {
		Sinks.One<String> operation = Sinks.one();
		Deadline<String> deadline = new Deadline<>(operation.asMono());
		StepVerifier.create(deadline)
			.then(() -> operation.tryEmitValue("answer"))
			.expectNext("answer")
			.verifyComplete();
		assertThat(deadline.subscriber.clockStopped).hasValue(1);
		deadline.subscriber.goOff();
		assertThat(deadline.subscriber.deadlines).hasValue(0);
	}

	@Test
	void deadlineCancelsTheOperationAndAnswersOnce() {
		AtomicInteger cancelled = new AtomicInteger();
		Deadline<String> deadline = new Deadline<>(Mono.<String>never().doOnCancel(cancelled::incrementAndGet));
		StepVerifier.create(deadline).then(() -> {
			deadline.subscriber.goOff();
			deadline.subscriber.goOff();
		}).expectError(TimeoutException.class).verify();
		assertThat(cancelled).hasValue(1);
		assertThat(deadline.subscriber.deadlines).hasValue(1);
		assertThat(deadline.subscriber.clockStopped).hasValue(0);
	}

	@Test
	void cancellingAfterTheDeadlineStopsWhatTheDeadlineStarted() {
		Deadline<String> deadline = new Deadline<>(Mono.never());
		deadline.answer = false;
		StepVerifier.create(deadline).then(() -> deadline.subscriber.goOff()).thenCancel().verify();
		assertThat(deadline.subscriber.isCancelledAfterDeadline()).isTrue();
		assertThat(deadline.subscriber.cancelledAfterDeadline).hasValue(1);
	}

	@Test
	void errorAfterTheDeadlineNeverReachesTheSubscriber() {
		Sinks.One<String> operation = Sinks.one();
		Deadline<String> deadline = new Deadline<>(operation.asMono());
		StepVerifier.create(deadline).then(() -> {
			deadline.subscriber.goOff();
			operation.tryEmitError(new IllegalStateException("late"));
		}).expectError(TimeoutException.class).verifyThenAssertThat().hasDroppedErrors(0);
	}

	private static final class Deadline<T> extends Mono<T> {

		private final Mono<T> operation;

		private TestSubscriber<T> subscriber;

		private boolean answer = true;

		Deadline(Mono<T> operation) {
			this.operation = operation;
		}

		@Override
		public void subscribe(CoreSubscriber<? super T> actual) {
			this.subscriber = new TestSubscriber<>(actual, this.answer);
			this.operation.subscribe(this.subscriber);
		}

	}

	private static final class TestSubscriber<T> extends DeadlineSubscriber<T> {

		private final AtomicInteger clockStopped = new AtomicInteger();

		private final AtomicInteger deadlines = new AtomicInteger();

		private final AtomicInteger cancelledAfterDeadline = new AtomicInteger();

		private final boolean answer;

		TestSubscriber(CoreSubscriber<? super T> actual, boolean answer) {
			super(actual);
			this.answer = answer;
		}

		void goOff() {
			expire();
		}

		@Override
		protected void cancelDeadline() {
			this.clockStopped.incrementAndGet();
		}

		@Override
		protected void onDeadline() {
			this.deadlines.incrementAndGet();
			if (this.answer) {
				this.actual.onError(new TimeoutException());
			}
		}

		@Override
		protected void onCancelAfterDeadline() {
			this.cancelledAfterDeadline.incrementAndGet();
		}

	}

}
