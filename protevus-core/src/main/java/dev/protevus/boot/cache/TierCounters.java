package dev.protevus.boot.cache;

import java.util.concurrent.atomic.LongAdder;

/**
 * What happened in one tier of one cache; read by metrics and the actuator endpoint.
 */
final class TierCounters {

	final LongAdder hits = new LongAdder();

	final LongAdder misses = new LongAdder();

	final LongAdder puts = new LongAdder();

	final LongAdder evictions = new LongAdder();

	final LongAdder errors = new LongAdder();

	TierStatistics snapshot(CacheTier tier, Long size) {
		return new TierStatistics(tier, size, this.hits.sum(), this.misses.sum(), this.puts.sum(), this.evictions.sum(),
				this.errors.sum());
	}

}
