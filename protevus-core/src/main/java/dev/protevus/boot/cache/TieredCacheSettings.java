package dev.protevus.boot.cache;

import java.time.Duration;
import java.util.List;

import org.springframework.util.Assert;

/**
 * How one {@link TieredCache} stores its entries: its tiers in read order, how long
 * entries live, and how misses are loaded.
 *
 * @param ttl how long an entry is fresh in every tier
 * @param tiers the tiers, without duplicates; they are always read fastest first (memory,
 * redis, file), whatever order they are given in
 * @param memoryMaximumSize how many entries the memory tier holds at most
 * @param memoryTtl how long an entry lives in the memory tier, at most {@code ttl};
 * {@code null} for {@code ttl}
 * @param cacheNullValues whether {@code null} results are cached
 * @param staleWhileRevalidate how long after its ttl an entry may still be served while
 * one background load refreshes it; {@code null} or zero to never serve stale entries
 * @param clusterLock whether a miss takes a short Redis lock so that one instance in the
 * cluster loads while the others wait for its value
 * @param coalesceLoads whether a plain {@code @Cacheable} method's invocation becomes the
 * cache's loader, so that it gets one load per key and stale-while-revalidate as
 * {@code sync = true} does (needs {@code CoalescingCacheInterceptor}, which Protevus's
 * auto-configuration installs)
 * @since 0.1.0
 */
public record TieredCacheSettings(Duration ttl, List<CacheTier> tiers, long memoryMaximumSize, Duration memoryTtl,
		boolean cacheNullValues, Duration staleWhileRevalidate, boolean clusterLock, boolean coalesceLoads) {

	public TieredCacheSettings {
		Assert.isTrue(ttl != null && ttl.compareTo(Duration.ZERO) > 0, () -> "ttl must be positive but was " + ttl);
		Assert.notEmpty(tiers, "tiers must not be empty");
		Assert.isTrue(tiers.stream().distinct().count() == tiers.size(), "tiers must be distinct");
		Assert.isTrue(memoryMaximumSize > 0, () -> "memoryMaximumSize must be positive but was " + memoryMaximumSize);
		Assert.isTrue(memoryTtl == null || (memoryTtl.compareTo(Duration.ZERO) > 0 && memoryTtl.compareTo(ttl) <= 0),
				() -> "memoryTtl must be positive and at most the ttl " + ttl + " but was " + memoryTtl);
		Assert.isTrue(staleWhileRevalidate == null || !staleWhileRevalidate.isNegative(),
				"staleWhileRevalidate must not be negative");
		Assert.isTrue(!clusterLock || tiers.contains(CacheTier.REDIS), "clusterLock needs the redis tier");
		tiers = tiers.stream().sorted().toList();
		staleWhileRevalidate = (staleWhileRevalidate != null) ? staleWhileRevalidate : Duration.ZERO;
	}

	/**
	 * Settings that coalesce the loads of plain {@code @Cacheable} methods.
	 * @param ttl how long an entry is fresh in every tier
	 * @param tiers the tiers, without duplicates
	 * @param memoryMaximumSize how many entries the memory tier holds at most
	 * @param memoryTtl how long an entry lives in the memory tier, {@code null} for
	 * {@code ttl}
	 * @param cacheNullValues whether {@code null} results are cached
	 * @param staleWhileRevalidate the stale window, {@code null} or zero for none
	 * @param clusterLock whether a miss takes a short Redis lock
	 */
	public TieredCacheSettings(Duration ttl, List<CacheTier> tiers, long memoryMaximumSize, Duration memoryTtl,
			boolean cacheNullValues, Duration staleWhileRevalidate, boolean clusterLock) {
		this(ttl, tiers, memoryMaximumSize, memoryTtl, cacheNullValues, staleWhileRevalidate, clusterLock, true);
	}

	/**
	 * Settings with the given ttl and tiers and defaults for the rest: 10,000 memory
	 * entries, null values cached, no stale serving, no cluster lock, loads of plain
	 * {@code @Cacheable} methods coalesced.
	 * @param ttl how long entries are fresh
	 * @param tiers the tiers in read order
	 * @return the settings
	 */
	public static TieredCacheSettings of(Duration ttl, CacheTier... tiers) {
		return new TieredCacheSettings(ttl, List.of(tiers), 10_000, null, true, Duration.ZERO, false);
	}

	/**
	 * These settings with a stale-while-revalidate window.
	 * @param window how long past its ttl an entry may be served while it is refreshed
	 * @return the new settings
	 */
	public TieredCacheSettings withStaleWhileRevalidate(Duration window) {
		return new TieredCacheSettings(this.ttl, this.tiers, this.memoryMaximumSize, this.memoryTtl,
				this.cacheNullValues, window, this.clusterLock, this.coalesceLoads);
	}

	/**
	 * These settings with or without the cluster lock.
	 * @param clusterLock whether one instance in the cluster loads a missing key
	 * @return the new settings
	 */
	public TieredCacheSettings withClusterLock(boolean clusterLock) {
		return new TieredCacheSettings(this.ttl, this.tiers, this.memoryMaximumSize, this.memoryTtl,
				this.cacheNullValues, this.staleWhileRevalidate, clusterLock, this.coalesceLoads);
	}

	/**
	 * These settings with or without coalesced loads of plain {@code @Cacheable} methods.
	 * @param coalesceLoads whether a plain {@code @Cacheable} method's invocation becomes
	 * the cache's loader
	 * @return the new settings
	 */
	public TieredCacheSettings withCoalesceLoads(boolean coalesceLoads) {
		return new TieredCacheSettings(this.ttl, this.tiers, this.memoryMaximumSize, this.memoryTtl,
				this.cacheNullValues, this.staleWhileRevalidate, this.clusterLock, coalesceLoads);
	}

}
