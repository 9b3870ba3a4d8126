package dev.protevus.boot.scaling;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class HorizontalScalingRecommenderTests {

	// A Monday, 09:30 UTC.
	private static final Instant MONDAY_MORNING = Instant.parse("2026-11-30T09:30:00Z");

	private static final Map<String, Double> TARGETS = Map.of("cpu", 0.7, "pool-utilization", 0.8, "event-loop-lag",
			0.05);

	private static final Map<String, String> UNITS = Map.of("cpu", ScalingSignal.RATIO, "pool-utilization",
			ScalingSignal.RATIO, "event-loop-lag", ScalingSignal.SECONDS, "in-flight", ScalingSignal.COUNT);

	static Stream<Arguments> cases() {
		return Stream.of(
				// description, current, min, max, values, desired, verdict, decidedBy
				Arguments.of("at target", 2, 1, 10, values("cpu", 0.7), 2, ScalingVerdict.HOLD, "cpu"),
				Arguments.of("ratio exactly 1 + tolerance holds", 4, 1, 10, values("cpu", 0.77), 4, ScalingVerdict.HOLD,
						"cpu"),
				Arguments.of("ratio just above 1 + tolerance scales out: ceil(4 x 1.114) = 5", 4, 1, 10,
						values("cpu", 0.78), 5, ScalingVerdict.SCALE_OUT, "cpu"),
				Arguments.of("ratio exactly 1 - tolerance holds", 4, 1, 10, values("cpu", 0.63), 4, ScalingVerdict.HOLD,
						"cpu"),
				Arguments.of("ratio just below 1 - tolerance, yet ceil(4 x 0.886) = 4 holds", 4, 1, 10,
						values("cpu", 0.62), 4, ScalingVerdict.HOLD, "cpu"),
				Arguments.of("half the target halves the replicas", 4, 1, 10, values("cpu", 0.35), 2,
						ScalingVerdict.SCALE_IN, "cpu"),
				Arguments.of("exact product is not rounded up: 4 x 1.5 = 6", 4, 1, 10, values("cpu", 1.05), 6,
						ScalingVerdict.SCALE_OUT, "cpu"),
				Arguments.of("clamped to max", 4, 1, 10, values("cpu", 3.5), 10, ScalingVerdict.SCALE_OUT,
						"max-replicas"),
				Arguments.of("clamped to min", 5, 3, 10, values("cpu", 0.07), 3, ScalingVerdict.SCALE_IN,
						"min-replicas"),
				Arguments.of("the highest vote wins", 2, 1, 10, values("cpu", 1.05, "pool-utilization", 1.6), 4,
						ScalingVerdict.SCALE_OUT, "pool-utilization"),
				Arguments.of("one signal out votes the other in", 4, 1, 10, values("cpu", 0.1, "pool-utilization", 1.0),
						5, ScalingVerdict.SCALE_OUT, "pool-utilization"),
				Arguments.of("a duration target: 100ms lag for 50ms", 3, 1, 10, values("event-loop-lag", 0.1), 6,
						ScalingVerdict.SCALE_OUT, "event-loop-lag"),
				Arguments.of("a signal without a target does not vote", 3, 1, 10,
						values("in-flight", 1000.0, "cpu", 0.7), 3, ScalingVerdict.HOLD, "cpu"),
				Arguments.of("a signal without a value does not vote", 3, 1, 10,
						values("cpu", Double.NaN, "pool-utilization", 0.8), 3, ScalingVerdict.HOLD, "pool-utilization"),
				Arguments.of("no voting signal holds", 3, 1, 10, values("cpu", Double.NaN), 3, ScalingVerdict.HOLD,
						"none"),
				Arguments.of("current above max is brought down", 12, 1, 10, values("cpu", 0.7), 10,
						ScalingVerdict.SCALE_IN, "max-replicas"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("cases")
	void recommendsLikeTheHpa(String description, int current, int min, int max, Map<String, Double> values,
			int desired, ScalingVerdict verdict, String decidedBy) {
		HorizontalRecommender recommender = new HorizontalRecommender(
				new ScalingPolicy(TARGETS, min, max, 0.1, Duration.ZERO, List.of()),
				new MutableClock(MONDAY_MORNING, ZoneOffset.UTC));
		HorizontalRecommendation recommendation = recommender.recommend(current, values, UNITS);
		assertThat(recommendation.desiredReplicas()).as("desired").isEqualTo(desired);
		assertThat(recommendation.verdict()).as("verdict").isEqualTo(verdict);
		assertThat(recommendation.decidedBy()).as("decided by").isEqualTo(decidedBy);
	}

	@Test
	void reportsEachSignalsRatioAndVote() {
		HorizontalRecommender recommender = new HorizontalRecommender(
				new ScalingPolicy(TARGETS, 1, 10, 0.1, Duration.ZERO, List.of()),
				new MutableClock(MONDAY_MORNING, ZoneOffset.UTC));
		HorizontalRecommendation recommendation = recommender.recommend(2,
				values("cpu", 1.4, "pool-utilization", 0.4, "in-flight", 7.0), UNITS);
		assertThat(recommendation.signals()).containsExactly(
				new SignalReading("cpu", ScalingSignal.RATIO, 1.4, 0.7, 2.0, 4),
				new SignalReading("pool-utilization", ScalingSignal.RATIO, 0.4, 0.8, 0.5, 1),
				new SignalReading("in-flight", ScalingSignal.COUNT, 7.0, null, null, null));
		assertThat(recommendation.utilization()).isEqualTo(2.0);
	}

	@Test
	void theActiveSchedulesMinimumRaisesTheCount() {
		List<ScheduledMinimum> schedule = List.of(new ScheduledMinimum("0 0 8 * * MON-FRI", 4),
				new ScheduledMinimum("0 0 20 * * *", 1));
		MutableClock clock = new MutableClock(MONDAY_MORNING, ZoneOffset.UTC);
		HorizontalRecommender recommender = new HorizontalRecommender(
				new ScalingPolicy(TARGETS, 1, 10, 0.1, Duration.ZERO, schedule), clock);
		HorizontalRecommendation morning = recommender.recommend(2, values("cpu", 0.1), UNITS);
		assertThat(morning.desiredReplicas()).isEqualTo(4);
		assertThat(morning.verdict()).isEqualTo(ScalingVerdict.SCALE_OUT);
		assertThat(morning.decidedBy()).isEqualTo("schedule");
		assertThat(morning.activeSchedule()).isEqualTo(schedule.get(0));
		// Load above the schedule's minimum still decides.
		HorizontalRecommendation busy = recommender.recommend(4, values("cpu", 1.4), UNITS);
		assertThat(busy.desiredReplicas()).isEqualTo(8);
		assertThat(busy.decidedBy()).isEqualTo("cpu");
		clock.set(Instant.parse("2026-11-30T21:00:00Z"));
		HorizontalRecommendation evening = recommender.recommend(4, values("cpu", 0.1), UNITS);
		assertThat(evening.activeSchedule()).isEqualTo(schedule.get(1));
		assertThat(evening.desiredReplicas()).isEqualTo(1);
		assertThat(evening.verdict()).isEqualTo(ScalingVerdict.SCALE_IN);
		// Saturday morning: the weekday schedule did not fire, Friday evening's is
		// active.
		clock.set(Instant.parse("2026-12-05T09:30:00Z"));
		assertThat(recommender.recommend(1, values("cpu", 0.1), UNITS).activeSchedule()).isEqualTo(schedule.get(1));
	}

	@Test
	void scheduleMinimumIsCappedByMax() {
		HorizontalRecommender recommender = new HorizontalRecommender(
				new ScalingPolicy(TARGETS, 1, 3, 0.1, Duration.ZERO,
						List.of(new ScheduledMinimum("0 0 8 * * MON-FRI", 4))),
				new MutableClock(MONDAY_MORNING, ZoneOffset.UTC));
		assertThat(recommender.recommend(1, values("cpu", 0.1), UNITS).desiredReplicas()).isEqualTo(3);
	}

	@Test
	void scalesInOnlyAfterTheDesiredCountStayedLowerForTheWholeWindow() {
		MutableClock clock = new MutableClock(MONDAY_MORNING, ZoneOffset.UTC);
		HorizontalRecommender recommender = new HorizontalRecommender(
				new ScalingPolicy(TARGETS, 1, 10, 0.1, Duration.ofMinutes(5), List.of()), clock);
		HorizontalRecommendation first = recommender.recommend(4, values("cpu", 0.35), UNITS);
		assertThat(first.desiredReplicas()).isEqualTo(4);
		assertThat(first.verdict()).isEqualTo(ScalingVerdict.HOLD);
		assertThat(first.decidedBy()).isEqualTo("stabilization");
		assertThat(first.stabilization().holding()).isTrue();
		clock.advance(Duration.ofMinutes(4).plusSeconds(59));
		assertThat(recommender.recommend(4, values("cpu", 0.35), UNITS).desiredReplicas()).isEqualTo(4);
		clock.advance(Duration.ofSeconds(1));
		HorizontalRecommendation after = recommender.recommend(4, values("cpu", 0.35), UNITS);
		assertThat(after.desiredReplicas()).isEqualTo(2);
		assertThat(after.verdict()).isEqualTo(ScalingVerdict.SCALE_IN);
		assertThat(after.decidedBy()).isEqualTo("cpu");
		assertThat(after.stabilization().holding()).isFalse();
	}

	@Test
	void scalesInToTheHighestRecommendationOfTheWindow() {
		MutableClock clock = new MutableClock(MONDAY_MORNING, ZoneOffset.UTC);
		HorizontalRecommender recommender = new HorizontalRecommender(
				new ScalingPolicy(TARGETS, 1, 10, 0.1, Duration.ofMinutes(5), List.of()), clock);
		recommender.recommend(4, values("cpu", 0.35), UNITS);
		clock.advance(Duration.ofMinutes(2));
		// 0.5 / 0.7 x 4 = 2.86: a recommendation of 3 within the window.
		assertThat(recommender.recommend(4, values("cpu", 0.5), UNITS).desiredReplicas()).isEqualTo(4);
		clock.advance(Duration.ofMinutes(3));
		HorizontalRecommendation heldAtThree = recommender.recommend(4, values("cpu", 0.35), UNITS);
		assertThat(heldAtThree.desiredReplicas()).isEqualTo(3);
		assertThat(heldAtThree.verdict()).isEqualTo(ScalingVerdict.SCALE_IN);
		assertThat(heldAtThree.stabilization().highestInWindow()).isEqualTo(3);
		clock.advance(Duration.ofMinutes(2).plusSeconds(1));
		assertThat(recommender.recommend(4, values("cpu", 0.35), UNITS).desiredReplicas()).isEqualTo(2);
	}

	@Test
	void scalesOutAtOnceWhateverTheWindow() {
		MutableClock clock = new MutableClock(MONDAY_MORNING, ZoneOffset.UTC);
		HorizontalRecommender recommender = new HorizontalRecommender(
				new ScalingPolicy(TARGETS, 1, 10, 0.1, Duration.ofMinutes(5), List.of()), clock);
		recommender.recommend(4, values("cpu", 0.35), UNITS);
		HorizontalRecommendation out = recommender.recommend(4, values("cpu", 1.4), UNITS);
		assertThat(out.desiredReplicas()).isEqualTo(8);
		assertThat(out.verdict()).isEqualTo(ScalingVerdict.SCALE_OUT);
	}

	@Test
	void aZeroWindowScalesInAtOnce() {
		HorizontalRecommender recommender = new HorizontalRecommender(
				new ScalingPolicy(TARGETS, 1, 10, 0.1, Duration.ZERO, List.of()),
				new MutableClock(MONDAY_MORNING, ZoneOffset.UTC));
		assertThat(recommender.recommend(4, values("cpu", 0.35), UNITS).desiredReplicas()).isEqualTo(2);
	}

	@Test
	void rejectsAPolicyThatCannotWork() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new ScalingPolicy(Map.of("cpu", 0.0), 1, 10, 0.1, Duration.ZERO, List.of()))
			.withMessageContaining("cpu");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new ScalingPolicy(Map.of(), 5, 2, 0.1, Duration.ZERO, List.of()))
			.withMessageContaining("2");
		assertThatIllegalArgumentException().isThrownBy(() -> new ScheduledMinimum("not a cron", 1));
	}

	@Test
	void findsTheLastFiringOfFrequentAndRareSchedules() {
		assertThat(new ScheduledMinimum("*/10 * * * * *", 1).lastFiring(MONDAY_MORNING.atZone(ZoneOffset.UTC)))
			.isEqualTo(MONDAY_MORNING.atZone(ZoneOffset.UTC));
		assertThat(new ScheduledMinimum("0 0 0 1 1 *", 1).lastFiring(MONDAY_MORNING.atZone(ZoneOffset.UTC)))
			.isEqualTo(Instant.parse("2026-01-01T00:00:00Z").atZone(ZoneOffset.UTC));
	}

	private static Map<String, Double> values(Object... namesAndValues) {
		Map<String, Double> values = new LinkedHashMap<>();
		for (int i = 0; i < namesAndValues.length; i += 2) {
			values.put((String) namesAndValues[i], (Double) namesAndValues[i + 1]);
		}
		return values;
	}

}
