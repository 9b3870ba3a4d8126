package dev.protevus.boot.scaling;

import java.time.Duration;
import java.time.Instant;

import org.springframework.util.Assert;

/**
 * A histogram with exponentially growing buckets whose samples lose half their weight
 * every half-life, as the Kubernetes VPA recommender keeps CPU and memory usage: recent
 * usage counts most, last week's still counts a little. A percentile is answered with the
 * upper end of the bucket it falls in, so it overestimates by at most one bucket (the
 * growth ratio, 5% by default).
 * <p>
 * Thread-safe.
 *
 * @since 0.1.0
 */
public class DecayingHistogram {

	// Weights grow as 2^(age / half-life); past this exponent they are scaled back to
	// stay far from overflow, as the VPA's histogram does.
	private static final double MAX_EXPONENT = 100;

	private final double firstBucketSize;

	private final double ratio;

	private final double[] weights;

	private final Duration halfLife;

	private Instant reference;

	private double total;

	/**
	 * Creates a histogram.
	 * @param firstBucketSize the size of the first bucket, such as 0.01 cores
	 * @param ratio how much larger each bucket is than the one before, such as 1.05
	 * @param maxValue the largest value it tells apart; larger ones fall in the last
	 * bucket
	 * @param halfLife after how long a sample weighs half as much
	 */
	public DecayingHistogram(double firstBucketSize, double ratio, double maxValue, Duration halfLife) {
		Assert.isTrue(firstBucketSize > 0, () -> "firstBucketSize must be positive but was " + firstBucketSize);
		Assert.isTrue(ratio > 1, () -> "ratio must be above 1 but was " + ratio);
		Assert.isTrue(maxValue > firstBucketSize, () -> "maxValue must be above firstBucketSize but was " + maxValue);
		Assert.isTrue(halfLife.compareTo(Duration.ZERO) > 0, () -> "halfLife must be positive but was " + halfLife);
		this.firstBucketSize = firstBucketSize;
		this.ratio = ratio;
		this.halfLife = halfLife;
		int buckets = (int) Math.ceil(Math.log(maxValue * (ratio - 1) / firstBucketSize + 1) / Math.log(ratio)) + 1;
		this.weights = new double[buckets];
	}

	/**
	 * Adds a sample.
	 * @param value the value, negative counted as zero
	 * @param weight its weight at its time
	 * @param at when it was measured
	 */
	public synchronized void add(double value, double weight, Instant at) {
		if (this.reference == null) {
			this.reference = at;
		}
		double exponent = exponent(at);
		if (exponent > MAX_EXPONENT) {
			double scale = Math.pow(2, -exponent);
			for (int i = 0; i < this.weights.length; i++) {
				this.weights[i] *= scale;
			}
			this.total *= scale;
			this.reference = at;
			exponent = 0;
		}
		double decayed = weight * Math.pow(2, exponent);
		this.weights[bucket(value)] += decayed;
		this.total += decayed;
	}

	/**
	 * The value below which a share of the decayed weight lies.
	 * @param percentile the share, between 0 and 1
	 * @return the upper end of the bucket holding the percentile, {@link Double#NaN} when
	 * empty
	 */
	public synchronized double percentile(double percentile) {
		Assert.isTrue(percentile >= 0 && percentile <= 1, () -> "percentile must be in [0, 1] but was " + percentile);
		if (this.total <= 0) {
			return Double.NaN;
		}
		// Less a hair, so that 0.9 x 100 = 90.00000000000001 is reached by 90 samples.
		double threshold = percentile * this.total * (1 - 1e-12);
		double cumulative = 0;
		int last = 0;
		for (int i = 0; i < this.weights.length; i++) {
			if (this.weights[i] > 0) {
				last = i;
			}
			cumulative += this.weights[i];
			if (cumulative >= threshold && this.weights[i] > 0) {
				return bucketStart(i + 1);
			}
		}
		return bucketStart(last + 1);
	}

	/**
	 * Whether it holds no sample.
	 * @return {@code true} when empty
	 */
	public synchronized boolean isEmpty() {
		return this.total <= 0;
	}

	private double exponent(Instant at) {
		return (double) Duration.between(this.reference, at).toNanos() / this.halfLife.toNanos();
	}

	private int bucket(double value) {
		if (value < this.firstBucketSize) {
			return 0;
		}
		int bucket = (int) Math
			.floor(Math.log(value * (this.ratio - 1) / this.firstBucketSize + 1) / Math.log(this.ratio));
		// Rounding of the logarithm may put a value one bucket off its boundary.
		while (bucket > 0 && bucketStart(bucket) > value) {
			bucket--;
		}
		while (bucket + 1 < this.weights.length && bucketStart(bucket + 1) <= value) {
			bucket++;
		}
		return Math.min(bucket, this.weights.length - 1);
	}

	private double bucketStart(int bucket) {
		return (bucket == 0) ? 0 : this.firstBucketSize * (Math.pow(this.ratio, bucket) - 1) / (this.ratio - 1);
	}

}
