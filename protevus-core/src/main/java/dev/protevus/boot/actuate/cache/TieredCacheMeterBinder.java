package dev.protevus.boot.actuate.cache;

import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

import dev.protevus.boot.cache.CacheTier;
import dev.protevus.boot.cache.TierStatistics;
import dev.protevus.boot.cache.TieredCache;
import dev.protevus.boot.cache.TieredCacheManager;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.util.Assert;

/**
 * Binds each tiered cache's per-tier counts as meters, for caches that exist now and
 * those created later: {@code protevus.cache.gets} (tags {@code cache}, {@code tier},
 * {@code result}), {@code protevus.cache.puts}, {@code protevus.cache.evictions},
 * {@code protevus.cache.errors} (tags {@code cache}, {@code tier}) and the timer
 * {@code protevus.cache.loads} (tag {@code cache}). Spring Boot's whole-cache meters
 * ({@code cache.gets} and the rest) come from {@code TieredCacheMeterBinderProvider} (in
 * the auto-configuration module).
 *
 * @since 0.1.0
 */
public class TieredCacheMeterBinder implements MeterBinder {

	private static final String GETS_DESCRIPTION = "Reads of one tier of a cache, by result: hit (the tier had "
			+ "a usable entry) or miss; a read that misses a tier goes on to the next, so untagged this counts "
			+ "the reads of every tier together";

	private final TieredCacheManager cacheManager;

	/**
	 * Creates a binder for the caches of one manager.
	 * @param cacheManager the manager
	 */
	public TieredCacheMeterBinder(TieredCacheManager cacheManager) {
		Assert.notNull(cacheManager, "cacheManager must not be null");
		this.cacheManager = cacheManager;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		this.cacheManager.onCacheCreated((cache) -> bind(cache, registry));
	}

	private static void bind(TieredCache cache, MeterRegistry registry) {
		for (CacheTier tier : cache.getSettings().tiers()) {
			// One description for both results: a meter name has one, and untagged the
			// counts add up to every read of every tier.
			counter(registry, "protevus.cache.gets", cache, tier, TierStatistics::hits).tag("result", "hit")
				.description(GETS_DESCRIPTION)
				.register(registry);
			counter(registry, "protevus.cache.gets", cache, tier, TierStatistics::misses).tag("result", "miss")
				.description(GETS_DESCRIPTION)
				.register(registry);
			counter(registry, "protevus.cache.puts", cache, tier, TierStatistics::puts)
				.description("Entries written per tier")
				.register(registry);
			counter(registry, "protevus.cache.evictions", cache, tier, TierStatistics::evictions)
				.description("Entries removed on request per tier")
				.register(registry);
			counter(registry, "protevus.cache.errors", cache, tier, TierStatistics::errors)
				.description("Failed tier operations, each served as a miss or a skipped write")
				.register(registry);
		}
		FunctionTimer
			.builder("protevus.cache.loads", cache, (c) -> c.loadStatistics().count(),
					(c) -> c.loadStatistics().totalTime().toNanos(), TimeUnit.NANOSECONDS)
			.tag("cache", cache.getName())
			.description("Runs of the cache's loader: misses (and stale entries) of @Cacheable methods, "
					+ "Cache.get(key, Callable) and Cache.retrieve(key, loader), failed ones included")
			.register(registry);
	}

	private static FunctionCounter.Builder<TieredCache> counter(MeterRegistry registry, String name, TieredCache cache,
			CacheTier tier, ToDoubleFunction<TierStatistics> count) {
		return FunctionCounter.builder(name, cache, (c) -> count.applyAsDouble(c.statistics(tier)))
			.tag("cache", cache.getName())
			.tag("tier", tier.id());
	}

}
