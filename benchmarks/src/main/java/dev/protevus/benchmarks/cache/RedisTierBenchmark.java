package dev.protevus.benchmarks.cache;

import java.util.concurrent.TimeUnit;

import dev.protevus.boot.cache.CacheTier;
import dev.protevus.boot.cache.TieredCache;
import dev.protevus.boot.cache.TieredCacheManager;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.reactive.RedisReactiveCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import reactor.core.publisher.Mono;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisStringCommands.SetOption;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.types.Expiration;

/**
 * A Redis-tier hit of a {@link TieredCache} without a memory tier, against a bare Lettuce
 * GET of the very bytes that tier stored. The gap is the tier's own cost: circuit
 * breaker, timeout, decoding and expiry checks around one round trip. Goal: at least 0.8
 * times Lettuce's throughput.
 *
 * @since 0.1.0
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class RedisTierBenchmark {

	private static final String CACHE_NAME = "redis-tier";

	private final String[] keys = CacheFixtures.keys();

	private final byte[][] tieredKeys = CacheFixtures.tieredCacheRedisKeys(CACHE_NAME);

	private final byte[][] rawKeys = CacheFixtures.redisKeys(CacheFixtures.KEY_PREFIX + "raw::");

	private LettuceConnectionFactory connectionFactory;

	private TieredCacheManager tieredCacheManager;

	private TieredCache tieredCache;

	private RedisClient redisClient;

	private StatefulRedisConnection<byte[], byte[]> redisConnection;

	private RedisReactiveCommands<byte[], byte[]> redis;

	@Setup
	public void setUp() {
		this.connectionFactory = CacheFixtures.connectionFactory();
		this.tieredCacheManager = CacheFixtures.tieredCacheManager(this.connectionFactory, CacheTier.REDIS);
		this.tieredCache = this.tieredCacheManager.getCache(CACHE_NAME);
		awaitFirstStore();
		for (int i = 0; i < CacheFixtures.KEY_COUNT; i++) {
			this.tieredCache.store(this.keys[i], CacheFixtures.book(i)).block();
		}
		copyStoredBytesToRawKeys();
		this.redisClient = RedisClient.create(RedisURI.create(CacheFixtures.redisHost(), CacheFixtures.redisPort()));
		this.redisConnection = this.redisClient.connect(ByteArrayCodec.INSTANCE);
		this.redis = this.redisConnection.reactive();
		CacheFixtures.requireHits("Protevus", (i) -> this.tieredCache.retrieve(this.keys[i]).join());
		CacheFixtures.requireHits("Lettuce", (i) -> this.redis.get(this.rawKeys[i]).block());
	}

	/**
	 * Stores the first entry until Redis has it: the tier fails open, and on a busy
	 * machine its first connection can take longer than its timeout.
	 */
	private void awaitFirstStore() {
		long deadline = System.nanoTime() + 30_000_000_000L;
		try (RedisConnection connection = this.connectionFactory.getConnection()) {
			do {
				this.tieredCache.store(this.keys[0], CacheFixtures.book(0)).block();
				if (connection.keyCommands().exists(this.tieredKeys[0])) {
					return;
				}
			}
			while (System.nanoTime() - deadline < 0);
		}
		throw new IllegalStateException("The Redis tier stored nothing within 30 seconds");
	}

	private void copyStoredBytesToRawKeys() {
		try (RedisConnection connection = this.connectionFactory.getConnection()) {
			for (int i = 0; i < CacheFixtures.KEY_COUNT; i++) {
				byte[] stored = connection.stringCommands().get(this.tieredKeys[i]);
				connection.stringCommands()
					.set(this.rawKeys[i], stored, Expiration.from(CacheFixtures.TTL), SetOption.upsert());
			}
		}
	}

	@TearDown
	public void tearDown() {
		try {
			CacheFixtures.delete(this.connectionFactory, this.tieredKeys);
			CacheFixtures.delete(this.connectionFactory, this.rawKeys);
		}
		finally {
			this.redisConnection.close();
			this.redisClient.shutdown();
			this.tieredCacheManager.destroy();
			this.connectionFactory.destroy();
		}
	}

	@Benchmark
	public Object protevus(KeyCursor cursor) {
		return this.tieredCache.retrieve(this.keys[cursor.next()]).join();
	}

	@Benchmark
	public byte[] lettuce(KeyCursor cursor) {
		return this.redis.get(this.rawKeys[cursor.next()]).block();
	}

	/**
	 * Not a baseline but the floor of the tier's design: the value and its remaining time
	 * to live, a {@code GET} and a {@code PTTL} sent together, which is what each tier
	 * read asks Redis, so that the time left comes from Redis's clock rather than the
	 * writer's.
	 * @param cursor the key cursor
	 * @return the value and its remaining time, in milliseconds
	 */
	@Benchmark
	public Object lettuceWithTtl(KeyCursor cursor) {
		byte[] key = this.rawKeys[cursor.next()];
		return Mono.zip(this.redis.get(key), this.redis.pttl(key)).block();
	}

}
