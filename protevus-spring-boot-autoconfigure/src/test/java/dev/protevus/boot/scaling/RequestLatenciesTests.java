package dev.protevus.boot.scaling;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class RequestLatenciesTests {

	private final AtomicLong nanos = new AtomicLong();

	private final RequestLatencies latencies = new RequestLatencies(Duration.ofMinutes(2).toNanos(), this.nanos::get);

	@Test
	void percentileIsNaNWithoutRequests() {
		assertThat(this.latencies.percentileSeconds(0.99)).isNaN();
	}

	@Test
	void percentileIsAtMostOneSixteenthAboveTheTrueValue() {
		for (int i = 1; i <= 1000; i++) {
			this.latencies.record(Duration.ofMillis(i).toNanos());
		}
		assertThat(this.latencies.percentileSeconds(0.99)).isBetween(0.990, 0.990 * 1.0625);
		assertThat(this.latencies.percentileSeconds(0.5)).isBetween(0.500, 0.500 * 1.0625);
		assertThat(this.latencies.percentileSeconds(1)).isBetween(1.000, 1.000 * 1.0625);
	}

	@Test
	void everyBucketHoldsWhatItsBoundsSay() {
		int previousUpper = -1;
		for (int bucket = 0; bucket < 200; bucket++) {
			long upper = RequestLatencies.upperBound(bucket);
			assertThat(RequestLatencies.bucket(upper)).isEqualTo(bucket);
			assertThat(RequestLatencies.bucket(upper + 1)).isEqualTo(bucket + 1);
			assertThat(upper).isGreaterThan(previousUpper);
			previousUpper = (int) Math.min(upper, Integer.MAX_VALUE);
		}
		assertThat(RequestLatencies.bucket(-5)).isZero();
		assertThat(RequestLatencies.bucket(Long.MAX_VALUE)).isEqualTo(RequestLatencies.bucket(Long.MAX_VALUE - 1));
	}

	@Test
	void requestsLeaveTheWindowAfterTwoHalves() {
		this.latencies.record(Duration.ofSeconds(3).toNanos());
		this.nanos.addAndGet(Duration.ofSeconds(61).toNanos());
		assertThat(this.latencies.percentileSeconds(0.99)).isGreaterThanOrEqualTo(3);
		this.latencies.record(Duration.ofMillis(20).toNanos());
		this.nanos.addAndGet(Duration.ofSeconds(61).toNanos());
		assertThat(this.latencies.percentileSeconds(0.99)).isBetween(0.020, 0.022);
		this.nanos.addAndGet(Duration.ofSeconds(61).toNanos());
		assertThat(this.latencies.percentileSeconds(0.99)).isNaN();
	}

	@Test
	void aLongSilenceEmptiesTheWindow() {
		this.latencies.record(Duration.ofSeconds(3).toNanos());
		this.nanos.addAndGet(Duration.ofMinutes(5).toNanos());
		assertThat(this.latencies.percentileSeconds(0.99)).isNaN();
	}

	@Test
	void rejectsPercentilesOutsideItsRange() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.latencies.percentileSeconds(0));
		assertThatIllegalArgumentException().isThrownBy(() -> this.latencies.percentileSeconds(1.5));
	}

}
