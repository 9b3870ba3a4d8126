package dev.protevus.boot.scaling;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

import org.springframework.util.Assert;

/**
 * The latencies of the server's recent requests, for the {@code p99-latency} signal.
 * <p>
 * Recording must cost every request next to nothing, so a latency is one increment of a
 * counter in log-linear buckets (16 per power of two, so a percentile is at most 6.25 %
 * above the true value), and nothing else: no lock, no clock, no allocation. Asking
 * Micrometer's {@code http.server.requests} timers for a client-side percentile instead
 * records each request in three HdrHistograms behind shared counters, which measured as
 * about 4 % of a small JSON endpoint's throughput.
 * <p>
 * The window has two halves: requests go to the current one, and a reading older than the
 * window's half turns the current half into the previous one. A percentile covers both
 * halves, so it describes between one half and one whole window of requests.
 *
 * @since 0.1.0
 */
public final class RequestLatencies {

	private static final int SUB_BUCKET_BITS = 4;

	private static final int SUB_BUCKETS = 1 << SUB_BUCKET_BITS;

	/**
	 * Buckets up to 2^43 ns (about two and a half hours); longer latencies count in the
	 * last bucket.
	 */
	private static final int BUCKETS = (43 - SUB_BUCKET_BITS + 1) * SUB_BUCKETS;

	private final long halfWindowNanos;

	private final LongSupplier nanoTime;

	private volatile AtomicLongArray current = new AtomicLongArray(BUCKETS);

	private volatile AtomicLongArray previous = new AtomicLongArray(BUCKETS);

	private long rotatedAt;

	/**
	 * Creates latencies kept over a window of two minutes.
	 */
	public RequestLatencies() {
		this(TimeUnit.MINUTES.toNanos(2), System::nanoTime);
	}

	/**
	 * Creates latencies kept over the given window.
	 * @param windowNanos how long a request counts, in nanoseconds
	 * @param nanoTime the clock, {@link System#nanoTime()} outside tests
	 */
	public RequestLatencies(long windowNanos, LongSupplier nanoTime) {
		Assert.isTrue(windowNanos > 1, "windowNanos must be at least 2");
		this.halfWindowNanos = windowNanos / 2;
		this.nanoTime = nanoTime;
		this.rotatedAt = nanoTime.getAsLong();
	}

	/**
	 * Records one request's latency.
	 * @param nanos the latency in nanoseconds
	 */
	public void record(long nanos) {
		this.current.incrementAndGet(bucket(nanos));
	}

	/**
	 * A percentile of the latencies recorded in the window.
	 * @param percentile the percentile, above 0 and at most 1, such as 0.99
	 * @return the latency in seconds, or {@link Double#NaN} when the window holds none
	 */
	public synchronized double percentileSeconds(double percentile) {
		Assert.isTrue(percentile > 0 && percentile <= 1, "percentile must be above 0 and at most 1");
		rotateIfDue();
		AtomicLongArray newer = this.current;
		AtomicLongArray older = this.previous;
		long[] counts = new long[BUCKETS];
		long total = 0;
		for (int i = 0; i < BUCKETS; i++) {
			counts[i] = newer.get(i) + older.get(i);
			total += counts[i];
		}
		if (total == 0) {
			return Double.NaN;
		}
		long rank = (long) Math.ceil(percentile * total);
		long seen = 0;
		for (int i = 0; i < BUCKETS; i++) {
			seen += counts[i];
			if (seen >= rank) {
				return upperBound(i) / 1e9;
			}
		}
		return upperBound(BUCKETS - 1) / 1e9;
	}

	private void rotateIfDue() {
		long now = this.nanoTime.getAsLong();
		long elapsed = now - this.rotatedAt;
		if (elapsed < this.halfWindowNanos) {
			return;
		}
		// A request that read the old current array just before the swap still counts in
		// the window, in the previous half.
		this.previous = (elapsed < 2 * this.halfWindowNanos) ? this.current : new AtomicLongArray(BUCKETS);
		this.current = new AtomicLongArray(BUCKETS);
		this.rotatedAt = now;
	}

	static int bucket(long nanos) {
		if (nanos < SUB_BUCKETS) {
			return (int) Math.max(nanos, 0);
		}
		int exponent = 63 - Long.numberOfLeadingZeros(nanos);
		int sub = (int) (nanos >>> (exponent - SUB_BUCKET_BITS)) & (SUB_BUCKETS - 1);
		return Math.min((exponent - SUB_BUCKET_BITS + 1) * SUB_BUCKETS + sub, BUCKETS - 1);
	}

	/**
	 * The largest latency a bucket holds, in nanoseconds.
	 */
	static long upperBound(int bucket) {
		if (bucket < SUB_BUCKETS) {
			return bucket;
		}
		int exponent = bucket / SUB_BUCKETS + SUB_BUCKET_BITS - 1;
		long width = 1L << (exponent - SUB_BUCKET_BITS);
		return (SUB_BUCKETS + (bucket % SUB_BUCKETS)) * width + width - 1;
	}

}
