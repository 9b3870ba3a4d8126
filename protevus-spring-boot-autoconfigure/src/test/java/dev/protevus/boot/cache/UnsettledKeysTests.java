package dev.protevus.boot.cache;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link UnsettledKeys}.
 */
class UnsettledKeysTests {

	private final UnsettledKeys keys = new UnsettledKeys(2);

	@Test
	void aFailedWriteMakesItsKeyDeletableAndALaterAppliedOneSettlesIt() {
		this.keys.track("a", Mono.just(false)).block();
		assertThat(this.keys.deletable()).containsExactly("a");
		this.keys.track("a", Mono.just(true)).block();
		assertThat(this.keys.deletable()).isEmpty();
		assertThat(this.keys.any()).isFalse();
	}

	@Test
	void anEarlierWriteThatFailsAfterALaterOneSucceededLeavesTheKeySettled() {
		Sinks.One<Boolean> early = Sinks.one();
		StepVerifier.create(this.keys.track("a", early.asMono())).then(() -> {
			this.keys.track("a", Mono.just(true)).block();
			early.tryEmitValue(false);
		}).expectNext(false).verifyComplete();
		assertThat(this.keys.any()).isFalse();
	}

	@Test
	void aKeyWithAWriteInFlightIsNotDeletable() {
		this.keys.track("a", Mono.just(false)).block();
		Sinks.One<Boolean> inFlight = Sinks.one();
		StepVerifier.create(this.keys.track("a", inFlight.asMono())).then(() -> {
			assertThat(this.keys.stillDeletable("a")).isFalse();
			assertThat(this.keys.deletable()).isEmpty();
			inFlight.tryEmitValue(true);
		}).expectNext(true).verifyComplete();
		assertThat(this.keys.stillDeletable("a")).isFalse();
	}

	@Test
	void aCancelledWriteCountsAsNotApplied() {
		StepVerifier.create(this.keys.track("a", Mono.never())).thenCancel().verify();
		assertThat(this.keys.deletable()).containsExactly("a");
	}

	@Test
	void moreKeysThanTheCapacityOverflowUntilTaken() {
		for (String key : new String[] { "a", "b", "c" }) {
			this.keys.track(key, Mono.just(false)).block();
		}
		assertThat(this.keys.overflowed()).isTrue();
		assertThat(this.keys.takeOverflow()).isTrue();
		assertThat(this.keys.any()).isFalse();
		assertThat(this.keys.takeOverflow()).isFalse();
	}

}
