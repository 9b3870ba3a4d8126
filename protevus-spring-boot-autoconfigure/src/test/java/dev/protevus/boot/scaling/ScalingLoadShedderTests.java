package dev.protevus.boot.scaling;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.support.GenericApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

class ScalingLoadShedderTests {

	private static final Instant START = Instant.parse("2026-12-01T10:00:00Z");

	private final List<Object> published = new ArrayList<>();

	private final ScalingLoadShedder shedder = new ScalingLoadShedder(this.published::add, 1.5, Duration.ofSeconds(30));

	@Test
	void refusesTrafficAboveTheThresholdAndAcceptsItOnlyAfterTheHoldTime() {
		sample(0, 1.2);
		assertThat(readiness()).isEmpty();
		sample(10, 1.51);
		assertThat(readiness()).containsExactly(ReadinessState.REFUSING_TRAFFIC);
		sample(20, 1.9);
		assertThat(readiness()).as("no repeated event while still refusing").hasSize(1);
		sample(30, 1.0);
		sample(59, 1.0);
		assertThat(readiness()).as("below the threshold for 29s only").hasSize(1);
		sample(60, 1.0);
		assertThat(readiness()).containsExactly(ReadinessState.REFUSING_TRAFFIC, ReadinessState.ACCEPTING_TRAFFIC);
		assertThat(this.shedder.isShedding()).isFalse();
	}

	@Test
	void aSpikeDuringTheHoldTimeStartsItAgain() {
		sample(0, 2.0);
		sample(10, 1.0);
		sample(35, 1.6);
		sample(40, 1.0);
		sample(65, 1.0);
		assertThat(readiness()).as("the hold restarted at 40s").containsExactly(ReadinessState.REFUSING_TRAFFIC);
		sample(70, 1.0);
		assertThat(readiness()).containsExactly(ReadinessState.REFUSING_TRAFFIC, ReadinessState.ACCEPTING_TRAFFIC);
	}

	@Test
	void exactlyAtTheThresholdDoesNotShed() {
		sample(0, 1.5);
		assertThat(readiness()).isEmpty();
	}

	@Test
	void withoutAVotingSignalNothingChanges() {
		sample(0, null);
		assertThat(readiness()).isEmpty();
	}

	@Test
	void neverTouchesLiveness() {
		sample(0, 5.0);
		sample(100, 0.1);
		assertThat(this.published).allSatisfy((event) -> assertThat(((AvailabilityChangeEvent<?>) event).getState())
			.isNotInstanceOf(LivenessState.class));
	}

	@Test
	void doesNotGiveReadinessBackOnceTheContextCloses() {
		sample(0, 5.0);
		this.shedder.onApplicationEvent(new ContextClosedEvent(new GenericApplicationContext()));
		sample(100, 0.1);
		assertThat(readiness()).containsExactly(ReadinessState.REFUSING_TRAFFIC);
	}

	private void sample(int second, Double utilization) {
		HorizontalRecommendation horizontal = new HorizontalRecommendation(2, 2, ScalingVerdict.HOLD, "cpu", List.of(),
				utilization, null, new HorizontalRecommendation.Stabilization(Duration.ZERO, 2, false));
		this.shedder.sampled(new ScalingRecommendation(START.plusSeconds(second), horizontal, null));
	}

	private List<Object> readiness() {
		return this.published.stream()
			.map((event) -> ((AvailabilityChangeEvent<?>) event).getState())
			.filter(ReadinessState.class::isInstance)
			.map(Object.class::cast)
			.toList();
	}

}
