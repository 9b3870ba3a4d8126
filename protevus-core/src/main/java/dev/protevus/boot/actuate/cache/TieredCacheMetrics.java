package dev.protevus.boot.actuate.cache;

import java.util.function.ToLongFunction;

import dev.protevus.boot.cache.TieredCache;
import dev.protevus.boot.cache.TieredCache.CacheStatistics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.cache.CacheMeterBinder;

import org.springframework.lang.Nullable;

/**
 * Micrometer's standard cache meters for one {@link TieredCache}, counting the cache as a
 * whole ({@link TieredCache#cacheStatistics()}); {@code cache.size} is the memory tier's
 * size. The per-tier meters come from {@link TieredCacheMeterBinder}.
 *
 * @since 0.1.0
 */
public class TieredCacheMetrics extends CacheMeterBinder<TieredCache> {

	/**
	 * Creates the meters of a cache.
	 * @param cache the cache
	 * @param tags tags added to every meter, besides {@code cache}
	 */
	public TieredCacheMetrics(TieredCache cache, Iterable<Tag> tags) {
		super(cache, cache.getName(), tags);
	}

	@Override
	@Nullable
	protected Long size() {
		TieredCache cache = getCache();
		return (cache != null) ? cache.cacheStatistics().memorySize() : null;
	}

	@Override
	protected long hitCount() {
		return count(CacheStatistics::hits);
	}

	@Override
	protected Long missCount() {
		return count(CacheStatistics::misses);
	}

	@Override
	protected Long evictionCount() {
		return count(CacheStatistics::evictions);
	}

	@Override
	protected long putCount() {
		return count(CacheStatistics::puts);
	}

	@Override
	protected void bindImplementationSpecificMetrics(MeterRegistry registry) {
	}

	private long count(ToLongFunction<CacheStatistics> count) {
		TieredCache cache = getCache();
		return (cache != null) ? count.applyAsLong(cache.cacheStatistics()) : 0;
	}

}
