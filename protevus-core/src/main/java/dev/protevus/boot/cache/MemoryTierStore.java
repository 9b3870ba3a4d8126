package dev.protevus.boot.cache;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import reactor.core.publisher.Mono;

/**
 * The memory tier: a size-bounded Caffeine cache whose entries expire after the memory
 * ttl (plus the stale window). An entry back-filled from a lower tier with less time left
 * than that is checked against its own expiry on each hit; every other entry needs no
 * clock read at all.
 */
final class MemoryTierStore implements TierStore {

	private final Cache<String, CacheEntry> cache;

	private final Clock clock;

	private final long staleMillis;

	private final long retentionMillis;

	private final TierCounters counters = new TierCounters();

	MemoryTierStore(TieredCacheSettings settings, Clock clock) {
		this.clock = clock;
		this.staleMillis = settings.staleWhileRevalidate().toMillis();
		Duration retention = ((settings.memoryTtl() != null) ? settings.memoryTtl() : settings.ttl())
			.plus(settings.staleWhileRevalidate());
		this.retentionMillis = retention.toMillis();
		this.cache = Caffeine.newBuilder()
			.maximumSize(settings.memoryMaximumSize())
			.expireAfterWrite(retention)
			.ticker(ticker(clock))
			.build();
	}

	/**
	 * Caffeine's own ticker for the system clock; a ticker that follows any other clock,
	 * so that tests moving a clock see entries expire.
	 */
	private static Ticker ticker(Clock clock) {
		if (clock.equals(Clock.systemUTC()) || clock.equals(Clock.systemDefaultZone())) {
			return Ticker.systemTicker();
		}
		return () -> TimeUnit.MILLISECONDS.toNanos(clock.millis());
	}

	@Override
	public CacheTier tier() {
		return CacheTier.MEMORY;
	}

	/**
	 * The entry under a key if it may be served, fresh or within the stale window,
	 * counted as a hit; otherwise {@code null}, counted as a miss.
	 */
	CacheEntry read(String key) {
		CacheEntry entry = this.cache.getIfPresent(key);
		if (entry != null && (entry.isFreshWhilePresent() || entry.isUsable(this.clock.millis(), this.staleMillis))) {
			this.counters.hits.increment();
			return entry;
		}
		this.counters.misses.increment();
		return null;
	}

	void write(String key, CacheEntry entry) {
		boolean expiresFirst = this.staleMillis == 0 && entry.expiresAt() >= this.clock.millis() + this.retentionMillis;
		this.cache.put(key, expiresFirst ? entry.freshWhilePresent() : entry);
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

	/**
	 * Entries held, as Caffeine estimates them without cleaning up first.
	 */
	long estimatedSize() {
		return this.cache.estimatedSize();
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
