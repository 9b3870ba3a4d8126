package dev.protevus.boot.autoconfigure.cache;

import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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

	private final TieredCacheProperties properties;

	private final boolean redisAvailable;

	private final RedisUsage redisUsage;

	private final TieredCacheSettings defaults;

	private final Map<String, TieredCacheSettings> caches = new LinkedHashMap<>();

	/**
	 * @param redisAvailable whether the redis tier's support exists
	 * @param redisUsage how the application uses Redis
	 */
	CacheSettingsResolver(TieredCacheProperties properties, boolean redisAvailable, RedisUsage redisUsage) {
		this.properties = properties;
		this.redisAvailable = redisAvailable;
		this.redisUsage = redisUsage;
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
						? List.of(CacheTier.MEMORY, CacheTier.REDIS) : List.of(CacheTier.MEMORY);
		long maximumSize = positive("memory.maximum-size", this.properties.getMemory().getMaximumSize());
		Duration memoryTtl = this.properties.getMemory().getTtl();
		if (memoryTtl != null) {
			positive("memory.ttl", memoryTtl);
			atMost("memory.ttl", memoryTtl, "default-ttl", ttl);
		}
		Duration stale = notNegative("stale-while-revalidate", this.properties.getStaleWhileRevalidate());
		return new TieredCacheSettings(ttl, tiers, maximumSize, memoryTtl, this.properties.isCacheNullValues(), stale,
				false);
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
		return new TieredCacheSettings(ttl, tiers, maximumSize, memoryTtl, cacheNullValues, stale, clusterLock);
	}

	private List<CacheTier> tiers(String key, List<CacheTier> tiers) {
		if (tiers.isEmpty() || tiers.contains(null)) {
			throw new InvalidPropertyException(PREFIX + key, tiers, "a cache needs at least one tier",
					"Set '" + PREFIX + key + "' to one or more of memory, redis, file.");
		}
		if (Set.copyOf(tiers).size() != tiers.size()) {
			throw new InvalidPropertyException(PREFIX + key, tiers, "a tier is listed twice",
					"List each of memory, redis and file at most once in '" + PREFIX + key + "'.");
		}
		if (tiers.contains(CacheTier.REDIS) && !this.redisAvailable) {
			throw new InvalidPropertyException(PREFIX + key, tiers,
					"the redis tier needs a Redis connection, and the application has none",
					"Add spring-boot-starter-data-redis-reactive and set 'spring.data.redis.url', or remove redis from '"
							+ PREFIX + key + "'.");
		}
		return tiers;
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
