package dev.protevus.boot.cache;

/**
 * Counts for one tier of one cache since start-up.
 *
 * @param tier the tier
 * @param size entries held, {@code null} when unknown
 * @param hits reads that found a usable entry
 * @param misses reads that found none
 * @param puts entries written
 * @param evictions entries removed on request
 * @param errors failed operations, each treated as a miss or a skipped write
 * @since 0.1.0
 */
public record TierStatistics(CacheTier tier, Long size, long hits, long misses, long puts, long evictions,
		long errors) {

	/**
	 * Hits over reads.
	 * @return the ratio between 0 and 1, or 0 before any read
	 */
	public double hitRatio() {
		long reads = this.hits + this.misses;
		return (reads != 0) ? (double) this.hits / reads : 0;
	}

}
