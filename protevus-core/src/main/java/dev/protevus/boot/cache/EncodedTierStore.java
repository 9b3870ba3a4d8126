package dev.protevus.boot.cache;

import java.time.Clock;

import reactor.core.publisher.Mono;

/**
 * What the tiers that store encoded entries outside the JVM (Redis, files) share: the
 * codec, the clock and stale window that decide retention, and counting and rate-limited
 * logging.
 */
abstract class EncodedTierStore implements TierStore {

	final EntryCodec codec;

	final Clock clock;

	final long staleMillis;

	final TierCounters counters = new TierCounters();

	final RateLimitedLog log;

	EncodedTierStore(EntryCodec codec, Clock clock, long staleMillis, String subject) {
		this.codec = codec;
		this.clock = clock;
		this.staleMillis = staleMillis;
		this.log = new RateLimitedLog(subject);
	}

	/**
	 * Milliseconds until an entry may no longer be served, stale window included.
	 */
	long retentionLeft(CacheEntry entry) {
		return entry.expiresAt() + this.staleMillis - this.clock.millis();
	}

	/**
	 * Counts a read as a hit or a miss.
	 */
	Mono<CacheEntry> counted(Mono<CacheEntry> read) {
		return read.doOnSuccess((entry) -> ((entry != null) ? this.counters.hits : this.counters.misses).increment());
	}

	/**
	 * Counts and logs a failed operation, which the caller then treats as a miss or
	 * skipped write.
	 */
	void failed(String operation, Throwable error) {
		this.counters.errors.increment();
		this.log.warn(operation, error);
	}

	@Override
	public TierCounters counters() {
		return this.counters;
	}

}
