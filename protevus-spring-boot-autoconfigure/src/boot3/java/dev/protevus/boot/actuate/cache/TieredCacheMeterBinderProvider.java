package dev.protevus.boot.actuate.cache;

import dev.protevus.boot.cache.TieredCache;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.boot.actuate.metrics.cache.CacheMeterBinderProvider;

/**
 * Gives Spring Boot's cache metrics a binder for {@link TieredCache}s, so that they show
 * the standard {@code cache.gets} (tag {@code result} {@code hit} or {@code miss}),
 * {@code cache.puts}, {@code cache.evictions} and {@code cache.size} like any other
 * cache.
 *
 * @since 0.1.0
 * @see TieredCacheMetrics
 */
public class TieredCacheMeterBinderProvider implements CacheMeterBinderProvider<TieredCache> {

	@Override
	public MeterBinder getMeterBinder(TieredCache cache, Iterable<Tag> tags) {
		return new TieredCacheMetrics(cache, tags);
	}

}
