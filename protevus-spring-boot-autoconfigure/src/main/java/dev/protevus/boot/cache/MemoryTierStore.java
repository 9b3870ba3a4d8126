package dev.protevus.boot.cache;

import java.time.Clock;
import java.util.concurrent.TimeUnit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import reactor.core.publisher.Mono;

/**
 * The memory tier: a size-bounded Caffeine cache whose entries expire with their own retention,
 * capped by the memory ttl, so that an entry back-filled from a lower tier keeps only its
 * remaining time.
 */
final class MemoryTierStore implements TierStore {

	private final Cache<String, CacheEntry> cache;

	private final TierCounters counters = new TierCounters();

	MemoryTierStore(TieredCacheSettings settings, Clock clock) {
		long staleNanos = settings.staleWhileRevalidate().toNanos();
		long memoryTtlNanos = ((settings.memoryTtl() != null) ? settings.memoryTtl() : settings.ttl()).toNanos()
				+ staleNanos;
		this.cache = Caffeine.newBuilder()
			.maximumSize(settings.memoryMaximumSize())
			.ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
			.expireAfter(new Expiry<String, CacheEntry>() {

				@Override
				public long expireAfterCreate(String key, CacheEntry entry, long currentTime) {
					long retention = TimeUnit.MILLISECONDS.toNanos(entry.expiresAt()) + staleNanos - currentTime;
					return Math.max(0, Math.min(retention, memoryTtlNanos));
				}

				@Override
				public long expireAfterUpdate(String key, CacheEntry entry, long currentTime, long currentDuration) {
					return expireAfterCreate(key, entry, currentTime);
				}

				@Override
				public long expireAfterRead(String key, CacheEntry entry, long currentTime, long currentDuration) {
					return currentDuration;
				}

			})
			.build();
	}

	@Override
	public CacheTier tier() {
		return CacheTier.MEMORY;
	}

	/**
	 * The entry under a key, without counting the read.
	 */
	CacheEntry peek(String key) {
		return this.cache.getIfPresent(key);
	}

	/**
	 * The entry under a key, counted as a hit or miss.
	 */
	CacheEntry read(String key) {
		CacheEntry entry = this.cache.getIfPresent(key);
		((entry != null) ? this.counters.hits : this.counters.misses).increment();
		return entry;
	}

	void write(String key, CacheEntry entry) {
		this.cache.put(key, entry);
		this.counters.puts.increment();
	}

	boolean remove(String key) {
		this.counters.evictions.increment();
		return this.cache.asMap().remove(key) != null;
	}

	boolean removeAll() {
		boolean hadEntries = this.cache.estimatedSize() > 0;
		this.cache.invalidateAll();
		return hadEntries;
	}

	@Override
	public Mono<CacheEntry> get(String key) {
		return Mono.justOrEmpty(read(key));
	}

	@Override
	public Mono<Void> put(String key, CacheEntry entry) {
		return Mono.fromRunnable(() -> write(key, entry));
	}

	@Override
	public Mono<Void> evict(String key) {
		return Mono.fromRunnable(() -> remove(key));
	}

	@Override
	public Mono<Void> clear() {
		return Mono.fromRunnable(this::removeAll);
	}

	@Override
	public Mono<Long> size() {
		return Mono.fromSupplier(() -> {
			this.cache.cleanUp();
			return this.cache.estimatedSize();
		});
	}

	@Override
	public TierCounters counters() {
		return this.counters;
	}

}
