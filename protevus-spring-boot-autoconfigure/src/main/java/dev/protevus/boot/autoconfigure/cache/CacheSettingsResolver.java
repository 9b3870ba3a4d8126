package dev.protevus.boot.autoconfigure.cache;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import dev.protevus.boot.autoconfigure.InvalidPropertyException;
import dev.protevus.boot.autoconfigure.PropertyChecks;
import dev.protevus.boot.autoconfigure.cache.TieredCacheProperties.Lock;
import dev.protevus.boot.autoconfigure.cache.TieredCacheProperties.NamedCache;
import dev.protevus.boot.autoconfigure.redis.RedisUsage;
import dev.protevus.boot.cache.CacheTier;
import dev.protevus.boot.cache.TieredCacheSettings;

import org.springframework.lang.Nullable;

/**
 * Turns {@link TieredCacheProperties} into the settings of each cache, checking every
 * value on the way so that a bad one fails start-up naming its property.
 */
final class CacheSettingsResolver {

	static final String PREFIX = TieredCacheProperties.PREFIX + ".";

	/**
	 * Longest retention (ttl and stale window) that memcached takes as a duration: it
	 * reads more than 30 days as a Unix time.
	 */
	static final Duration MEMCACHED_MAX_RETENTION = Duration.ofDays(30);

	private final TieredCacheProperties properties;

	private final boolean redisAvailable;

	private final RedisUsage redisUsage;

	private final boolean memcachedAvailable;

	private final TieredCacheSettings defaults;

	private final Map<String, TieredCacheSettings> caches = new LinkedHashMap<>();

	/**
	 * @param redisAvailable whether the redis tier's support exists
	 * @param redisUsage how the application uses Redis
	 * @param memcachedAvailable whether the memcached tier's support exists
	 */
	CacheSettingsResolver(TieredCacheProperties properties, boolean redisAvailable, RedisUsage redisUsage,
			boolean memcachedAvailable) {
		this.properties = properties;
		this.redisAvailable = redisAvailable;
		this.redisUsage = redisUsage;
		this.memcachedAvailable = memcachedAvailable;
		checkShared();
		this.defaults = resolveDefaults();
		properties.getCaches().forEach((name, cache) -> this.caches.put(name, resolve(name, cache)));
	}

	TieredCacheSettings defaults() {
		return this.defaults;
	}

	Map<String, TieredCacheSettings> caches() {
		return this.caches;
	}

	/**
	 * Every tier some cache uses, on-demand caches included.
	 */
	Set<CacheTier> usedTiers() {
		Set<CacheTier> used = EnumSet.copyOf(this.defaults.tiers());
		this.caches.values().forEach((settings) -> used.addAll(settings.tiers()));
		return used;
	}

	private void checkShared() {
		positive("default-ttl", this.properties.getDefaultTtl());
		positive("redis.timeout", this.properties.getRedis().getTimeout());
		positive("redis.lock-timeout", this.properties.getRedis().getLockTimeout());
		positive("memcached.timeout", this.properties.getMemcached().getTimeout());
		if (this.properties.getFile().getMaximumSize() == null
				|| this.properties.getFile().getMaximumSize().toBytes() <= 0) {
			throw new InvalidPropertyException(PREFIX + "file.maximum-size", this.properties.getFile().getMaximumSize(),
					"the file tier needs room",
					"Set '" + PREFIX + "file.maximum-size' to a positive size, such as 256MB.");
		}
		if (this.properties.getRedis().getMaxValueSize() == null
				|| this.properties.getRedis().getMaxValueSize().toBytes() <= 0) {
			throw new InvalidPropertyException(PREFIX + "redis.max-value-size",
					this.properties.getRedis().getMaxValueSize(), "the Redis tier could store no value",
					"Set '" + PREFIX + "redis.max-value-size' to a positive size, such as 512KB.");
		}
		if (this.properties.getRedis().getInvalidation().getChannel() == null
				|| this.properties.getRedis().getInvalidation().getChannel().isBlank()) {
			throw new InvalidPropertyException(PREFIX + "redis.invalidation.channel",
					this.properties.getRedis().getInvalidation().getChannel(), "the channel needs a name",
					"Set '" + PREFIX + "redis.invalidation.channel' to a channel name shared by every instance.");
		}
	}

	private TieredCacheSettings resolveDefaults() {
		Duration ttl = this.properties.getDefaultTtl();
		List<CacheTier> tiers = (this.properties.getTiers() != null) ? tiers("tiers", this.properties.getTiers())
				: (this.redisAvailable && this.redisUsage.connectionConfigured())
						? List.of(CacheTier.MEMORY, CacheTier.REDIS) : this.memcachedAvailable
								? List.of(CacheTier.MEMORY, CacheTier.MEMCACHED) : List.of(CacheTier.MEMORY);
		long maximumSize = positive("memory.maximum-size", this.properties.getMemory().getMaximumSize());
		Duration memoryTtl = this.properties.getMemory().getTtl();
		if (memoryTtl != null) {
			positive("memory.ttl", memoryTtl);
			atMost("memory.ttl", memoryTtl, "default-ttl", ttl);
		}
		Duration stale = notNegative("stale-while-revalidate", this.properties.getStaleWhileRevalidate());
		memcachedRetention("default-ttl", "stale-while-revalidate", tiers, ttl, stale);
		return new TieredCacheSettings(ttl, tiers, maximumSize, memoryTtl, this.properties.isCacheNullValues(), stale,
				false, this.properties.isCoalesceLoads());
	}

	private TieredCacheSettings resolve(String name, NamedCache cache) {
		String key = "caches." + name + ".";
		Duration ttl = (cache.getTtl() != null) ? positive(key + "ttl", cache.getTtl()) : this.defaults.ttl();
		List<CacheTier> tiers = (cache.getTiers() != null) ? tiers(key + "tiers", cache.getTiers())
				: this.defaults.tiers();
		long maximumSize = (cache.getMemory().getMaximumSize() != null)
				? positive(key + "memory.maximum-size", cache.getMemory().getMaximumSize())
				: this.defaults.memoryMaximumSize();
		Duration memoryTtl = cache.getMemory().getTtl();
		if (memoryTtl != null) {
			positive(key + "memory.ttl", memoryTtl);
			atMost(key + "memory.ttl", memoryTtl, key + "ttl", ttl);
		}
		else if (this.defaults.memoryTtl() != null) {
			memoryTtl = (this.defaults.memoryTtl().compareTo(ttl) < 0) ? this.defaults.memoryTtl() : null;
		}
		Duration stale = (cache.getStaleWhileRevalidate() != null)
				? notNegative(key + "stale-while-revalidate", cache.getStaleWhileRevalidate())
				: this.defaults.staleWhileRevalidate();
		boolean clusterLock = cache.getLock() == Lock.CLUSTER;
		if (clusterLock && !tiers.contains(CacheTier.REDIS)) {
			throw new InvalidPropertyException(PREFIX + key + "lock", "cluster",
					"a cluster lock needs the redis tier, which cache '" + name + "' does not use",
					"Add redis to '" + PREFIX + key + "tiers', or set '" + PREFIX + key + "lock' to local.");
		}
		boolean cacheNullValues = (cache.getCacheNullValues() != null) ? cache.getCacheNullValues()
				: this.defaults.cacheNullValues();
		boolean coalesceLoads = (cache.getCoalesceLoads() != null) ? cache.getCoalesceLoads()
				: this.defaults.coalesceLoads();
		memcachedRetention((cache.getTtl() != null) ? key + "ttl" : "default-ttl",
				(cache.getStaleWhileRevalidate() != null) ? key + "stale-while-revalidate" : "stale-while-revalidate",
				tiers, ttl, stale);
		return new TieredCacheSettings(ttl, tiers, maximumSize, memoryTtl, cacheNullValues, stale, clusterLock,
				coalesceLoads);
	}

	private List<CacheTier> tiers(String key, List<String> names) {
		if (names.isEmpty() || names.contains(null)) {
			throw new InvalidPropertyException(PREFIX + key, names, "a cache needs at least one tier",
					"Set '" + PREFIX + key + "' to one or more of " + tierNames() + ".");
		}
		List<CacheTier> tiers = new ArrayList<>(names.size());
		for (String name : names) {
			tiers.add(tier(key, name));
		}
		if (Set.copyOf(tiers).size() != tiers.size()) {
			throw new InvalidPropertyException(PREFIX + key, names, "a tier is listed twice",
					"List each of " + tierNames() + " at most once in '" + PREFIX + key + "'.");
		}
		if (tiers.contains(CacheTier.MEMCACHED) && !this.memcachedAvailable) {
			throw new InvalidPropertyException(PREFIX + key, names, memcachedMissing(),
					"Add com.spotify:folsom to the application and set '" + PREFIX
							+ "memcached.servers' to host:port of each server, or remove memcached from '" + PREFIX
							+ key + "'.");
		}
		if (tiers.contains(CacheTier.REDIS) && !this.redisAvailable) {
			throw new InvalidPropertyException(PREFIX + key, names,
					"the redis tier needs a Redis connection, and the application has none",
					"Add spring-boot-starter-data-redis-reactive and set 'spring.data.redis.url', or remove redis from '"
							+ PREFIX + key + "'.");
		}
		return tiers;
	}

	private static CacheTier tier(String key, String name) {
		for (CacheTier tier : CacheTier.values()) {
			if (tier.id().equalsIgnoreCase(name.trim())) {
				return tier;
			}
		}
		throw new InvalidPropertyException(PREFIX + key, name, "there is no tier of that name",
				"Set '" + PREFIX + key + "' to one or more of " + tierNames() + ".");
	}

	private static String tierNames() {
		return Arrays.stream(CacheTier.values()).map(CacheTier::id).collect(Collectors.joining(", "));
	}

	/**
	 * Why the memcached tier is missing: no servers, or with servers, no folsom (an
	 * application's own support would have been used).
	 */
	private String memcachedMissing() {
		if (this.properties.getMemcached()
			.getServers()
			.stream()
			.allMatch((server) -> server == null || server.isBlank())) {
			return "the memcached tier needs memcached servers, and '" + PREFIX + "memcached.servers' names none";
		}
		return "the memcached tier needs Spotify's folsom client (com.spotify:folsom), which is not on the class path";
	}

	/**
	 * Memcached reads an expiry beyond 30 days as a Unix time: a cache that uses it must
	 * keep its entries for less.
	 */
	private static void memcachedRetention(String ttlKey, String staleKey, List<CacheTier> tiers, Duration ttl,
			@Nullable Duration stale) {
		Duration retention = (stale != null) ? ttl.plus(stale) : ttl;
		if (tiers.contains(CacheTier.MEMCACHED) && retention.compareTo(MEMCACHED_MAX_RETENTION) >= 0) {
			throw new InvalidPropertyException(PREFIX + ttlKey, ttl,
					"the memcached tier keeps entries for less than 30 days (" + PREFIX + ttlKey + " plus " + PREFIX
							+ staleKey + " = " + retention + ")",
					"Set '" + PREFIX + ttlKey + "' and '" + PREFIX + staleKey
							+ "' to less than 30 days together, or remove memcached from the cache's tiers.");
		}
	}

	private static Duration positive(String key, Duration value) {
		return PropertyChecks.positive(PREFIX + key, value, "10m");
	}

	private static long positive(String key, long value) {
		return PropertyChecks.positive(PREFIX + key, value, "10000");
	}

	/**
	 * Unset stays unset: the cache then inherits the default.
	 */
	@Nullable
	private static Duration notNegative(String key, @Nullable Duration value) {
		return (value != null) ? PropertyChecks.notNegative(PREFIX + key, value, "30s", "serves no stale entries")
				: null;
	}

	private static void atMost(String key, Duration value, String limitKey, Duration limit) {
		if (value.compareTo(limit) > 0) {
			throw new InvalidPropertyException(PREFIX + key, value,
					"the memory tier cannot keep entries longer than the cache's ttl (" + PREFIX + limitKey + " = "
							+ limit + ")",
					"Set '" + PREFIX + key + "' to at most " + limit + ", or raise '" + PREFIX + limitKey + "'.");
		}
	}

}
