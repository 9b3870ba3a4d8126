package dev.protevus.benchmarks.cache;

import java.util.concurrent.TimeUnit;

import dev.protevus.boot.cache.CacheTier;
import dev.protevus.boot.cache.TieredCache;
import dev.protevus.boot.cache.TieredCacheManager;
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
import org.springframework.data.redis.cache.RedisCacheConfiguration;
import org.springframework.data.redis.cache.RedisCacheManager;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Reading one hot key through a {@link TieredCache} with memory in front of Redis,
 * against Spring Data Redis's cache, which goes to Redis on every read (JDK
 * serialization, Spring's default). This is the case the memory tier exists for. Goal: at
 * least 5 times Spring's throughput.
 *
 * @since 0.1.0
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class HotKeyBenchmark {

	private static final String CACHE_NAME = "hot-key";

	private static final String SPRING_PREFIX = CacheFixtures.KEY_PREFIX + "spring:";

	private final String[] keys = CacheFixtures.keys();

	private final String hotKey = this.keys[0];

	private final byte[][] tieredKeys = CacheFixtures.tieredCacheRedisKeys(CACHE_NAME);

	private final byte[][] springKeys = CacheFixtures.redisKeys(SPRING_PREFIX + CACHE_NAME + "::");

	private LettuceConnectionFactory connectionFactory;

	private TieredCacheManager tieredCacheManager;

	private TieredCache tieredCache;

	private Cache redisCache;

	@Setup
	public void setUp() {
		this.connectionFactory = CacheFixtures.connectionFactory();
		this.tieredCacheManager = CacheFixtures.tieredCacheManager(this.connectionFactory, CacheTier.MEMORY,
				CacheTier.REDIS);
		this.tieredCache = this.tieredCacheManager.getCache(CACHE_NAME);
		RedisCacheManager redisCacheManager = RedisCacheManager.builder(this.connectionFactory)
			.cacheDefaults(RedisCacheConfiguration.defaultCacheConfig()
				.entryTtl(CacheFixtures.TTL)
				.prefixCacheNameWith(SPRING_PREFIX))
			.build();
		redisCacheManager.afterPropertiesSet();
		this.redisCache = redisCacheManager.getCache(CACHE_NAME);
		for (int i = 0; i < CacheFixtures.KEY_COUNT; i++) {
			this.tieredCache.store(this.keys[i], CacheFixtures.book(i)).block();
			this.redisCache.put(this.keys[i], CacheFixtures.book(i));
		}
		CacheFixtures.requireHits("Protevus", (i) -> this.tieredCache.get(this.keys[i]));
		CacheFixtures.requireHits("Spring", (i) -> this.redisCache.get(this.keys[i]));
	}

	@TearDown
	public void tearDown() {
		try {
			CacheFixtures.delete(this.connectionFactory, this.tieredKeys);
			CacheFixtures.delete(this.connectionFactory, this.springKeys);
		}
		finally {
			this.tieredCacheManager.destroy();
			this.connectionFactory.destroy();
		}
	}

	@Benchmark
	public ValueWrapper protevus() {
		return this.tieredCache.get(this.hotKey);
	}

	@Benchmark
	public ValueWrapper spring() {
		return this.redisCache.get(this.hotKey);
	}

}
