package dev.protevus.benchmarks.cache;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.protevus.boot.cache.CacheTier;
import dev.protevus.boot.cache.JsonCacheValueSerializer;
import dev.protevus.boot.cache.RedisTierSupport;
import dev.protevus.boot.cache.TieredCacheManager;
import dev.protevus.boot.cache.TieredCacheSettings;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * What the cache benchmarks share: the key set and its values, the Redis they talk to,
 * and the housekeeping of the Redis keys they write.
 */
final class CacheFixtures {

	static final int KEY_COUNT = 1_000;

	/**
	 * Long enough never to expire during a run, short enough that keys left by a killed
	 * run go.
	 */
	static final Duration TTL = Duration.ofMinutes(10);

	/**
	 * Prefix of every Redis key the benchmarks write, so that they never touch other
	 * data.
	 */
	static final String KEY_PREFIX = "bench:";

	private static final String[] KEYS = IntStream.range(0, KEY_COUNT)
		.mapToObj((i) -> "key-" + i)
		.toArray(String[]::new);

	private CacheFixtures() {
	}

	static String[] keys() {
		return KEYS.clone();
	}

	static Book book(int index) {
		return new Book(index, "Book number " + index, 1900 + (index % 125));
	}

	static String redisHost() {
		return System.getProperty("redis.host", "127.0.0.1");
	}

	static int redisPort() {
		return Integer.getInteger("redis.port", 6379);
	}

	static LettuceConnectionFactory connectionFactory() {
		LettuceConnectionFactory connectionFactory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration(redisHost(), redisPort()));
		connectionFactory.afterPropertiesSet();
		connectionFactory.start();
		return connectionFactory;
	}

	/**
	 * A manager whose default caches use the given tiers, with Redis set up as an
	 * application would have it.
	 */
	static TieredCacheManager tieredCacheManager(LettuceConnectionFactory connectionFactory, CacheTier... tiers) {
		RedisTierSupport redis = new RedisTierSupport(connectionFactory, KEY_PREFIX, Duration.ofSeconds(1),
				Duration.ofSeconds(5), CircuitBreaker.ofDefaults("bench"));
		JsonMapper objectMapper = JsonMapper.builder().addModule(new JavaTimeModule()).build();
		TieredCacheManager manager = TieredCacheManager.builder(TieredCacheSettings.of(TTL, tiers))
			.serializer(new JsonCacheValueSerializer(objectMapper, List.of(Book.class.getPackageName())))
			.redis(redis)
			.build();
		manager.afterPropertiesSet();
		return manager;
	}

	/**
	 * The Redis keys under which a tiered cache's Redis tier stores the key set.
	 */
	static byte[][] tieredCacheRedisKeys(String cacheName) {
		return redisKeys(KEY_PREFIX + cacheName + "::");
	}

	static byte[][] redisKeys(String namespace) {
		return Arrays.stream(KEYS)
			.map((key) -> (namespace + key).getBytes(StandardCharsets.UTF_8))
			.toArray(byte[][]::new);
	}

	/**
	 * Removes the given keys, and only them: the Redis may hold data of others.
	 */
	static void delete(RedisConnectionFactory connectionFactory, byte[][] keys) {
		try (RedisConnection connection = connectionFactory.getConnection()) {
			connection.keyCommands().unlink(keys);
		}
	}

	/**
	 * Fails unless a lookup finds every key, so that a benchmark meant to measure hits
	 * cannot silently measure misses.
	 */
	static void requireHits(String what, IntFunction<Object> lookup) {
		for (int i = 0; i < KEY_COUNT; i++) {
			if (lookup.apply(i) == null) {
				throw new IllegalStateException(what + " missed " + KEYS[i] + " after it was stored");
			}
		}
	}

}
