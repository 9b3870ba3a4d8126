package dev.protevus.benchmarks.cache;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.spotify.folsom.AsciiMemcacheClient;
import com.spotify.folsom.MemcacheClientBuilder;
import dev.protevus.boot.cache.CacheTier;
import dev.protevus.boot.cache.JsonCacheValueSerializer;
import dev.protevus.boot.cache.MemcachedTierSupport;
import dev.protevus.boot.cache.TieredCache;
import dev.protevus.boot.cache.TieredCacheManager;
import dev.protevus.boot.cache.TieredCacheSettings;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A memcached-tier hit of a {@link TieredCache} without a memory tier, against a bare
 * folsom {@code get} of the very bytes that tier stored, over a client set up the same
 * way (replies on folsom's event loop). The gap is the tier's own cost: circuit breaker,
 * timeout, the generation counter read with the value in one multi-get, decoding and
 * expiry checks around one round trip. Goal: at least 0.8 times folsom's throughput.
 *
 * @since 0.1.0
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class MemcachedTierBenchmark {

	private static final String CACHE_NAME = "memcached-tier";

	private final String[] keys = CacheFixtures.keys();

	private String[] rawKeys;

	private final String generationKey = CacheFixtures.KEY_PREFIX + CACHE_NAME + "::#generation";

	private MemcachedTierSupport support;

	private TieredCacheManager tieredCacheManager;

	private TieredCache tieredCache;

	private AsciiMemcacheClient<byte[]> memcached;

	@Setup
	public void setUp() throws Exception {
		this.support = new MemcachedTierSupport(client(), CacheFixtures.KEY_PREFIX, Duration.ofSeconds(1),
				CircuitBreaker.ofDefaults("bench"));
		JsonMapper objectMapper = JsonMapper.builder().addModule(new JavaTimeModule()).build();
		this.tieredCacheManager = TieredCacheManager
			.builder(TieredCacheSettings.of(CacheFixtures.TTL, CacheTier.MEMCACHED))
			.serializer(new JsonCacheValueSerializer(objectMapper, List.of(Book.class.getPackageName())))
			.memcached(this.support)
			.build();
		this.tieredCache = this.tieredCacheManager.getCache(CACHE_NAME);
		for (int i = 0; i < CacheFixtures.KEY_COUNT; i++) {
			this.tieredCache.store(this.keys[i], CacheFixtures.book(i)).block();
		}
		this.memcached = client();
		this.rawKeys = new String[CacheFixtures.KEY_COUNT];
		int ttl = (int) CacheFixtures.TTL.toSeconds();
		for (int i = 0; i < CacheFixtures.KEY_COUNT; i++) {
			byte[] stored = this.memcached.get(tieredKey(i)).toCompletableFuture().get();
			this.rawKeys[i] = CacheFixtures.KEY_PREFIX + "raw::" + this.keys[i];
			this.memcached.set(this.rawKeys[i], stored, ttl).toCompletableFuture().get();
		}
		CacheFixtures.requireHits("Protevus", (i) -> this.tieredCache.retrieve(this.keys[i]).join());
		CacheFixtures.requireHits("folsom", (i) -> this.memcached.get(this.rawKeys[i]).toCompletableFuture().join());
	}

	private String tieredKey(int index) {
		return CacheFixtures.KEY_PREFIX + CACHE_NAME + "::" + this.keys[index];
	}

	private static AsciiMemcacheClient<byte[]> client() throws Exception {
		AsciiMemcacheClient<byte[]> client = MemcacheClientBuilder.newByteArrayClient()
			.withAddress(System.getProperty("memcached.host", "127.0.0.1"), Integer.getInteger("memcached.port", 11211))
			.withReplyExecutor(null)
			.connectAscii();
		client.awaitConnected(10, TimeUnit.SECONDS);
		return client;
	}

	@TearDown
	public void tearDown() throws Exception {
		try {
			for (int i = 0; i < CacheFixtures.KEY_COUNT; i++) {
				this.memcached.delete(tieredKey(i)).toCompletableFuture().get();
				this.memcached.delete(this.rawKeys[i]).toCompletableFuture().get();
			}
		}
		finally {
			this.memcached.shutdown();
			this.tieredCacheManager.destroy();
			this.support.destroy();
		}
	}

	@Benchmark
	public Object protevus(KeyCursor cursor) {
		return this.tieredCache.retrieve(this.keys[cursor.next()]).join();
	}

	@Benchmark
	public byte[] folsom(KeyCursor cursor) {
		return this.memcached.get(this.rawKeys[cursor.next()]).toCompletableFuture().join();
	}

	/**
	 * Not a baseline but the floor of the tier's design: a folsom multi-get of a value
	 * and the cache's generation counter, which is what each tier read sends.
	 * @param cursor the key cursor
	 * @return the value and the counter
	 */
	@Benchmark
	public List<byte[]> folsomWithGeneration(KeyCursor cursor) {
		return this.memcached.get(List.of(this.generationKey, this.rawKeys[cursor.next()]))
			.toCompletableFuture()
			.join();
	}

}
