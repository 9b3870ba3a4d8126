package dev.protevus.boot.actuate.cache;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.protevus.boot.cache.CacheTier;
import dev.protevus.boot.cache.MemcachedTierSupport;
import dev.protevus.boot.cache.RedisTierSupport;
import dev.protevus.boot.cache.TierStatistics;
import dev.protevus.boot.cache.TieredCache;
import dev.protevus.boot.cache.TieredCacheManager;

import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.lang.Nullable;

/**
 * Actuator endpoint {@code cachetiers}: each tiered cache's tiers with their sizes and
 * hit ratios, and clearing a cache in every tier on every instance.
 *
 * @since 0.1.0
 */
@Endpoint(id = "cachetiers")
public class CacheTiersEndpoint {

	private static final Duration STATISTICS_BOUND = Duration.ofSeconds(10);

	private final TieredCacheManager cacheManager;

	/**
	 * Creates the endpoint.
	 * @param cacheManager the manager whose caches it shows
	 */
	public CacheTiersEndpoint(TieredCacheManager cacheManager) {
		this.cacheManager = cacheManager;
	}

	@ReadOperation
	public CachesDescriptor caches() {
		Map<String, CacheDescriptor> caches = new TreeMap<>();
		this.cacheManager.getCaches().forEach((name, cache) -> caches.put(name, describe(cache)));
		return new CachesDescriptor(caches);
	}

	@ReadOperation
	@Nullable
	public CacheDescriptor cache(@Selector String cache) {
		TieredCache found = this.cacheManager.getCaches().get(cache);
		return (found != null) ? describe(found) : null;
	}

	/**
	 * Clears a cache in every tier; other instances drop it from their memory tier.
	 * @param cache the cache name
	 * @return 204 when cleared, 404 when there is no such cache
	 */
	@DeleteOperation
	public WebEndpointResponse<Void> clear(@Selector String cache) {
		TieredCache found = this.cacheManager.getCaches().get(cache);
		if (found == null) {
			return new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
		}
		found.clearAll().block(STATISTICS_BOUND);
		return new WebEndpointResponse<>(WebEndpointResponse.STATUS_NO_CONTENT);
	}

	private CacheDescriptor describe(TieredCache cache) {
		List<TierStatistics> statistics = cache.statistics().block(STATISTICS_BOUND);
		Map<String, TierDescriptor> tiers = new LinkedHashMap<>();
		for (TierStatistics tier : statistics) {
			tiers.put(tier.tier().id(), new TierDescriptor(tier.size(), tier.hits(), tier.misses(), tier.hitRatio(),
					tier.puts(), tier.evictions(), tier.errors()));
		}
		RedisTierSupport redis = this.cacheManager.getRedisTierSupport();
		String breaker = (redis != null && cache.getSettings().tiers().contains(CacheTier.REDIS))
				? redis.circuitBreaker().getState().name() : null;
		MemcachedTierSupport memcached = this.cacheManager.getMemcachedTierSupport();
		String memcachedBreaker = (memcached != null && cache.getSettings().tiers().contains(CacheTier.MEMCACHED))
				? memcached.circuitBreaker().getState().name() : null;
		TieredCache.LoadStatistics loads = cache.loadStatistics();
		return new CacheDescriptor(cache.getSettings().tiers().stream().map((tier) -> tier.id()).toList(),
				cache.getSettings().ttl().toString(), cache.getSettings().staleWhileRevalidate().toString(), tiers,
				breaker, loads.count(), loads.failures(), memcachedBreaker);
	}

	/**
	 * Every tiered cache by name.
	 *
	 * @param caches the caches
	 */
	public record CachesDescriptor(Map<String, CacheDescriptor> caches) implements OperationResponseBody {
	}

	/**
	 * One tiered cache.
	 *
	 * @param tiers tier names in read order
	 * @param ttl how long entries stay fresh (ISO-8601)
	 * @param staleWhileRevalidate how long stale entries may be served (ISO-8601)
	 * @param statistics counts per tier
	 * @param redisCircuitBreaker the Redis tier's circuit breaker state, {@code null}
	 * without one
	 * @param loads values loaded on a miss
	 * @param loadFailures loads that failed
	 * @param memcachedCircuitBreaker the memcached tier's circuit breaker state,
	 * {@code null} without one
	 */
	public record CacheDescriptor(List<String> tiers, String ttl, String staleWhileRevalidate,
			Map<String, TierDescriptor> statistics, String redisCircuitBreaker, long loads, long loadFailures,
			String memcachedCircuitBreaker) implements OperationResponseBody {
	}

	/**
	 * One tier of one cache.
	 *
	 * @param size entries held, {@code null} when unknown
	 * @param hits reads that found an entry
	 * @param misses reads that found none
	 * @param hitRatio hits over reads
	 * @param puts entries written
	 * @param evictions entries removed on request
	 * @param errors failed operations
	 */
	public record TierDescriptor(Long size, long hits, long misses, double hitRatio, long puts, long evictions,
			long errors) {
	}

}
