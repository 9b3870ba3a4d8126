package dev.protevus.boot.cache;

import reactor.core.publisher.Mono;

/**
 * One tier of one cache. Remote and disk tiers never signal errors: a failure is counted,
 * logged and turned into a miss (reads) or a skipped write, so a broken tier degrades the
 * cache instead of failing the request.
 */
interface TierStore {

	CacheTier tier();

	/**
	 * The entry under a key, empty on a miss. May return entries past their ttl but
	 * within the cache's retention, for stale-while-revalidate.
	 */
	Mono<CacheEntry> get(String key);

	/**
	 * Stores an entry until its retention ends.
	 */
	Mono<Void> put(String key, CacheEntry entry);

	Mono<Void> evict(String key);

	/**
	 * Removes every entry of this cache from the tier, and nothing else.
	 */
	Mono<Void> clear();

	/**
	 * How many entries the tier holds for this cache, empty when that cannot be told
	 * cheaply.
	 */
	Mono<Long> size();

	TierCounters counters();

}
