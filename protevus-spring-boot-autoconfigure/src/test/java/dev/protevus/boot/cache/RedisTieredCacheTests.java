package dev.protevus.boot.cache;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.protevus.boot.test.TestRedis;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import org.springframework.data.redis.connection.ReactiveRedisConnection;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.ScanOptions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link TieredCache} with the redis tier, against the real Redis of
 * protevus-spring-boot-test.
 */
class RedisTieredCacheTests {

	private static final Duration TTL = Duration.ofMinutes(5);

	private static LettuceConnectionFactory connectionFactory;

	private static ReactiveStringRedisTemplate redis;

	private final MutableClock clock = new MutableClock();

	private final JsonCacheValueSerializer serializer = new JsonCacheValueSerializer(new ObjectMapper(),
			List.of("dev.protevus.boot.cache"));

	private final List<TieredCacheManager> managers = new ArrayList<>();

	@BeforeAll
	static void connect() {
		TestRedis server = TestRedis.get();
		connectionFactory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration(server.host(), server.port()));
		connectionFactory.afterPropertiesSet();
		connectionFactory.start();
		redis = new ReactiveStringRedisTemplate(connectionFactory);
	}

	@AfterAll
	static void disconnect() {
		connectionFactory.destroy();
	}

	@AfterEach
	void destroyManagers() {
		this.managers.forEach(TieredCacheManager::destroy);
	}

	private TieredCacheManager manager(String prefix, TieredCacheSettings settings, boolean invalidation) {
		return manager(prefix, settings, invalidation, Duration.ofSeconds(2));
	}

	private TieredCacheManager manager(String prefix, TieredCacheSettings settings, boolean invalidation,
			Duration timeout) {
		CircuitBreaker breaker = CircuitBreaker.of("test",
				CircuitBreakerConfig.custom()
					.slidingWindowSize(4)
					.minimumNumberOfCalls(4)
					.waitDurationInOpenState(Duration.ofMillis(500))
					.permittedNumberOfCallsInHalfOpenState(1)
					.build());
		RedisTierSupport support = new RedisTierSupport(connectionFactory, prefix, timeout, Duration.ofSeconds(2),
				breaker);
		TieredCacheManager.Builder builder = TieredCacheManager.builder(settings)
			.clock(this.clock)
			.serializer(this.serializer)
			.redis(support);
		if (invalidation) {
			builder.invalidation(new RedisCacheInvalidation(support, connectionFactory, "test:invalidation"));
		}
		TieredCacheManager manager = builder.build();
		manager.afterPropertiesSet();
		this.managers.add(manager);
		return manager;
	}

	private TieredCache cache(String prefix, CacheTier... tiers) {
		return manager(prefix, TieredCacheSettings.of(TTL, tiers), false).getCache("books");
	}

	@Test
	void putReachesRedisWithTheCachesRetentionAsTtl() {
		TieredCache cache = manager("ttl:", TieredCacheSettings.of(TTL, CacheTier.MEMORY, CacheTier.REDIS)
			.withStaleWhileRevalidate(Duration.ofMinutes(1)), false).getCache("books");
		cache.put("1", new Book(1L, "Dune"));
		await().untilAsserted(() -> assertThat(redis.hasKey("ttl:books::1").block()).isTrue());
		assertThat(redis.getExpire("ttl:books::1").block()).isBetween(Duration.ofMinutes(5), Duration.ofMinutes(6));
	}

	@Test
	void redisHitBackfillsMemoryWithTheRemainingTtl() {
		TieredCache cache = cache("fill:", CacheTier.MEMORY, CacheTier.REDIS);
		cache.put("1", new Book(1L, "Dune"));
		await().untilAsserted(() -> assertThat(redis.hasKey("fill:books::1").block()).isTrue());
		cache.invalidateLocally(null);
		this.clock.advance(Duration.ofMinutes(3));
		assertThat(cache.retrieve("1").join()).extracting((wrapper) -> ((CacheEntry) wrapper).get())
			.isEqualTo(new Book(1L, "Dune"));
		assertThat(cache.statistics(CacheTier.REDIS).hits()).isOne();
		assertThat(cache.get("1")).isNotNull();
		assertThat(cache.statistics(CacheTier.REDIS).hits()).isOne();
		this.clock.advance(Duration.ofMinutes(2));
		assertThat(cache.get("1")).isNull();
		assertThat(cache.retrieve("1").join()).isNull();
	}

	@Test
	void keyPrefixesIsolateApplicationsSharingARedis() {
		TieredCache first = cache("app-a:", CacheTier.REDIS);
		TieredCache second = cache("app-b:", CacheTier.REDIS);
		first.put("1", "from a");
		second.put("2", "from b");
		await().untilAsserted(() -> assertThat(redis.hasKey("app-b:books::2").block()).isTrue());
		await().untilAsserted(() -> assertThat(first.retrieve("1").join()).isNotNull());
		assertThat(second.retrieve("1").join()).isNull();
		assertThat(first.retrieve("2").join()).isNull();
		second.clearAll().block(Duration.ofSeconds(10));
		assertThat(redis.hasKey("app-a:books::1").block()).isTrue();
		assertThat(redis.hasKey("app-b:books::2").block()).isFalse();
	}

	@Test
	void clearScansOnlyItsOwnCache() {
		TieredCacheManager manager = manager("scan:", TieredCacheSettings.of(TTL, CacheTier.REDIS), false);
		for (int i = 0; i < 700; i++) {
			manager.getCache("books").put(Integer.toString(i), i);
		}
		manager.getCache("books*").put("1", "glob-looking cache name");
		manager.getCache("authors").put("1", "kept");
		redis.opsForValue().set("scan:booksellers::1", "foreign").block();
		await().untilAsserted(() -> assertThat(count("scan:books::*")).isEqualTo(700));
		manager.getCache("books*").clearAll().block(Duration.ofSeconds(10));
		assertThat(count("scan:books::*")).isEqualTo(700);
		manager.getCache("books").clearAll().block(Duration.ofSeconds(10));
		assertThat(count("scan:books::*")).isZero();
		assertThat(redis.hasKey("scan:authors::1").block()).isTrue();
		assertThat(redis.hasKey("scan:booksellers::1").block()).isTrue();
	}

	@Test
	void changesOnOneInstanceDropTheEntryFromOtherInstancesMemoryWithinOneSecond() {
		TieredCacheSettings settings = TieredCacheSettings.of(TTL, CacheTier.MEMORY, CacheTier.REDIS);
		TieredCache mine = manager("coherent:", settings, true).getCache("books");
		TieredCache theirs = manager("coherent:", settings, true).getCache("books");
		mine.put("1", "v1");
		await().untilAsserted(() -> assertThat(theirs.retrieve("1").join()).isNotNull());
		assertThat(theirs.get("1").get()).isEqualTo("v1");
		mine.put("1", "v2");
		await().atMost(Duration.ofSeconds(1))
			.untilAsserted(
					() -> assertThat(theirs.retrieve("1").join()).extracting((wrapper) -> ((CacheEntry) wrapper).get())
						.isEqualTo("v2"));
		assertThat(mine.get("1").get()).as("an instance ignores its own messages").isEqualTo("v2");
		mine.evict("1");
		await().atMost(Duration.ofSeconds(1)).untilAsserted(() -> assertThat(theirs.get("1")).isNull());
		theirs.put("2", "x");
		mine.retrieve("2").join();
		theirs.clear();
		await().atMost(Duration.ofSeconds(1)).untilAsserted(() -> assertThat(mine.get("2")).isNull());
	}

	@Test
	void hundredConcurrentMissesRunOneLoad() {
		TieredCache cache = cache("flight:", CacheTier.MEMORY, CacheTier.REDIS);
		AtomicInteger loads = new AtomicInteger();
		List<CompletableFuture<Object>> results = IntStream.range(0, 100)
			.mapToObj((i) -> CompletableFuture.supplyAsync(() -> cache.retrieve("hot", () -> {
				loads.incrementAndGet();
				return Mono.delay(Duration.ofMillis(200)).thenReturn((Object) "value").toFuture();
			}), (task) -> Schedulers.parallel().schedule(task)).thenCompose((future) -> future))
			.toList();
		assertThat(CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)))
			.succeedsWithin(Duration.ofSeconds(10));
		assertThat(results).allSatisfy((result) -> assertThat(result.join()).isEqualTo("value"));
		assertThat(loads).hasValue(1);
	}

	@Test
	void clusterLockLetsOneInstanceLoad() {
		TieredCacheSettings settings = TieredCacheSettings.of(TTL, CacheTier.MEMORY, CacheTier.REDIS)
			.withClusterLock(true);
		TieredCache first = manager("lock:", settings, false).getCache("books");
		TieredCache second = manager("lock:", settings, false).getCache("books");
		AtomicInteger loads = new AtomicInteger();
		List<CompletableFuture<Object>> results = new ArrayList<>();
		for (TieredCache instance : List.of(first, second, first, second)) {
			results.add(instance.retrieve("report", () -> {
				loads.incrementAndGet();
				return Mono.delay(Duration.ofMillis(300)).thenReturn((Object) "expensive").toFuture();
			}));
		}
		assertThat(CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)))
			.succeedsWithin(Duration.ofSeconds(10));
		assertThat(results).allSatisfy((result) -> assertThat(result.join()).isEqualTo("expensive"));
		assertThat(loads).hasValue(1);
		await().untilAsserted(
				() -> assertThat(redis.hasKey("lock:lock:books::report").block()).as("lock released").isFalse());
	}

	@Test
	void payloadNamingAClassOutsideTheAllowlistIsAMiss() {
		TieredCache cache = cache("allow:", CacheTier.REDIS);
		writeRaw("allow:books::url", "[\"java.net.URL\",\"http://example.com\"]");
		writeRaw("allow:books::unknown", "{\"@class\":\"com.example.Exploit\",\"x\":1}");
		writeRaw("allow:books::fine",
				"{\"@class\":\"dev.protevus.boot.cache.RedisTieredCacheTests$Book\",\"id\":[\"java.lang.Long\",7],\"title\":\"ok\"}");
		assertThat(cache.retrieve("url").join()).isNull();
		assertThat(cache.retrieve("unknown").join()).isNull();
		assertThat(cache.statistics(CacheTier.REDIS).errors()).isEqualTo(2);
		assertThat(cache.retrieve("fine").join()).extracting((wrapper) -> ((CacheEntry) wrapper).get())
			.isEqualTo(new Book(7L, "ok"));
	}

	@Test
	void redisHoldsATextHeaderAndTheJsonSoThatRedisCliShowsThem() {
		TieredCache cache = cache("format:", CacheTier.REDIS);
		cache.store("1", new Book(1L, "Dune")).block(Duration.ofSeconds(5));
		cache.store("2", null).block(Duration.ofSeconds(5));
		long expiresAt = this.clock.millis() + TTL.toMillis();
		assertThat(expiresAt).isEqualTo(1767225900000L);
		assertThat(redis.opsForValue().get("format:books::1").block())
			.isEqualTo("pv2 1767225900000 v {\"@class\":\"dev.protevus.boot.cache.RedisTieredCacheTests$Book\","
					+ "\"id\":[\"java.lang.Long\",1],\"title\":\"Dune\"}");
		assertThat(redis.opsForValue().get("format:books::2").block()).isEqualTo("pv2 1767225900000 n ");
		assertThat(cache.retrieve("1").join()).extracting((wrapper) -> ((CacheEntry) wrapper).get())
			.isEqualTo(new Book(1L, "Dune"));
		assertThat(cache.retrieve("2").join()).isNotNull()
			.extracting((wrapper) -> ((CacheEntry) wrapper).get())
			.isNull();
	}

	@Test
	void entriesOfTheEarlierBinaryLayoutAreStillRead() {
		TieredCache cache = cache("binary:", CacheTier.REDIS);
		writeRaw("binary:books::3", "{\"@class\":\"dev.protevus.boot.cache.RedisTieredCacheTests$Book\","
				+ "\"id\":[\"java.lang.Long\",3],\"title\":\"Emma\"}");
		assertThat(cache.retrieve("3").join()).extracting((wrapper) -> ((CacheEntry) wrapper).get())
			.isEqualTo(new Book(3L, "Emma"));
	}

	@Test
	void deadRedisIsSkippedAndUsedAgainAfterItComesBack() {
		TieredCache cache = manager("failopen:", TieredCacheSettings.of(TTL, CacheTier.MEMORY, CacheTier.REDIS), false,
				Duration.ofMillis(250))
			.getCache("books");
		// On a loaded machine the first connection may take longer than the 250 ms
		// bound, so the put is repeated until Redis has it.
		await().untilAsserted(() -> {
			cache.put("cached", "in memory");
			assertThat(redis.hasKey("failopen:books::cached").block()).isTrue();
		});
		TestRedis server = TestRedis.get();
		AtomicInteger loads = new AtomicInteger();
		server.stop();
		try {
			for (int i = 0; i < 20; i++) {
				assertThat(cache.get("cached").get()).isEqualTo("in memory");
				String key = "miss-" + i;
				assertThat(cache.retrieve(key, () -> {
					loads.incrementAndGet();
					return CompletableFuture.completedFuture("loaded");
				})).succeedsWithin(Duration.ofSeconds(2)).isEqualTo("loaded");
			}
			assertThat(loads).hasValue(20);
			assertThat(cache.statistics(CacheTier.REDIS).errors()).isPositive();
			assertThat(this.managers.get(0).getRedisTierSupport().circuitBreaker().getState())
				.isEqualTo(CircuitBreaker.State.OPEN);
		}
		finally {
			server.start();
		}
		long putsBefore = cache.statistics(CacheTier.REDIS).puts();
		await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
			cache.put("after", "restart");
			assertThat(cache.statistics(CacheTier.REDIS).puts()).isGreaterThan(putsBefore);
		});
		await().untilAsserted(() -> assertThat(redis.hasKey("failopen:books::after").block()).isTrue());
	}

	@Test
	void operationsAreBoundedByLettucesTimerWhenTheFactoryHasClientResources() {
		TestRedis server = TestRedis.get();
		ClientResources resources = DefaultClientResources.create();
		LettuceConnectionFactory withResources = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration(server.host(), server.port()),
				LettuceClientConfiguration.builder().clientResources(resources).build());
		withResources.afterPropertiesSet();
		withResources.start();
		try {
			RedisTierSupport support = new RedisTierSupport(withResources, "timer:", Duration.ofSeconds(1),
					Duration.ofSeconds(1), CircuitBreaker.ofDefaults("timer"));
			assertThat(support.usesLettuceTimer()).isTrue();
			AtomicReference<String> failedOn = new AtomicReference<>();
			StepVerifier
				.create(support.bounded(Mono.never(), Duration.ofMillis(50))
					.doOnError((ex) -> failedOn.set(Thread.currentThread().getName())))
				.expectError(TimeoutException.class)
				.verify(Duration.ofSeconds(5));
			assertThat(failedOn.get()).as("the caller's code never runs on Lettuce's timer thread")
				.doesNotContain("timer");
			support.destroy();
		}
		finally {
			withResources.destroy();
			resources.shutdown();
		}
	}

	@Test
	void operationsAreBoundedBySharedTimerWithoutLettucesClientResources() {
		RedisTierSupport support = new RedisTierSupport(connectionFactory, "timer:", Duration.ofSeconds(1),
				Duration.ofSeconds(1), CircuitBreaker.ofDefaults("timer"));
		assertThat(support.usesLettuceTimer()).isFalse();
		StepVerifier.create(support.bounded(Mono.never(), Duration.ofMillis(50)))
			.expectError(TimeoutException.class)
			.verify(Duration.ofSeconds(5));
	}

	private static long count(String pattern) {
		return redis.scan(ScanOptions.scanOptions().match(pattern).count(1000).build()).count().block();
	}

	/**
	 * Writes an entry in the binary layout that came before the text header.
	 */
	private static void writeRaw(String key, String json) {
		byte[] payload = json.getBytes(StandardCharsets.UTF_8);
		byte[] entry = ByteBuffer.allocate(10 + payload.length)
			.put((byte) 1)
			.put((byte) 0)
			.putLong(Long.MAX_VALUE / 2)
			.put(payload)
			.array();
		ReactiveRedisConnection connection = connectionFactory.getReactiveConnection();
		try {
			connection.stringCommands()
				.set(ByteBuffer.wrap(key.getBytes(StandardCharsets.UTF_8)), ByteBuffer.wrap(entry))
				.block();
		}
		finally {
			connection.close();
		}
	}

	record Book(Long id, String title) {
	}

}
