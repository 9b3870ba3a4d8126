package dev.protevus.benchmarks.cache;

import java.util.concurrent.TimeUnit;

import com.github.benmanes.caffeine.cache.Caffeine;
import dev.protevus.boot.cache.CacheTier;
import dev.protevus.boot.cache.TieredCache;
import dev.protevus.boot.cache.TieredCacheManager;
import dev.protevus.boot.cache.TieredCacheSettings;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import org.springframework.cache.Cache;
import org.springframework.cache.Cache.ValueWrapper;
import org.springframework.cache.caffeine.CaffeineCacheManager;

/**
 * A memory-tier hit of a {@link TieredCache} against a hit in Spring's Caffeine cache.
 * The baseline gets the same size bound and ttl as the memory tier, so the comparison
 * measures what the tiered cache adds on top of Caffeine (expiry per entry, counters),
 * not extra features of Caffeine itself. Goal: at least 0.9 times Spring's throughput.
 *
 * @since 0.1.0
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class MemoryTierBenchmark {

	private static final String CACHE_NAME = "memory-tier";

	private final String[] keys = CacheFixtures.keys();

	private TieredCacheManager tieredCacheManager;

	private TieredCache tieredCache;

	private Cache caffeineCache;

	@Setup
	public void setUp() {
		TieredCacheSettings settings = TieredCacheSettings.of(CacheFixtures.TTL, CacheTier.MEMORY);
		this.tieredCacheManager = TieredCacheManager.builder(settings).build();
		this.tieredCache = this.tieredCacheManager.getCache(CACHE_NAME);
		CaffeineCacheManager caffeineCacheManager = new CaffeineCacheManager();
		caffeineCacheManager.setCaffeine(
				Caffeine.newBuilder().maximumSize(settings.memoryMaximumSize()).expireAfterWrite(settings.ttl()));
		this.caffeineCache = caffeineCacheManager.getCache(CACHE_NAME);
		for (int i = 0; i < CacheFixtures.KEY_COUNT; i++) {
			this.tieredCache.put(this.keys[i], CacheFixtures.book(i));
			this.caffeineCache.put(this.keys[i], CacheFixtures.book(i));
		}
		CacheFixtures.requireHits("Protevus", (i) -> this.tieredCache.get(this.keys[i]));
		CacheFixtures.requireHits("Spring", (i) -> this.caffeineCache.get(this.keys[i]));
	}

	@TearDown
	public void tearDown() {
		this.tieredCacheManager.destroy();
	}

	@Benchmark
	public ValueWrapper protevus(KeyCursor cursor) {
		return this.tieredCache.get(this.keys[cursor.next()]);
	}

	@Benchmark
	public ValueWrapper spring(KeyCursor cursor) {
		return this.caffeineCache.get(this.keys[cursor.next()]);
	}

}
