package dev.protevus.boot.cache;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.protevus.boot.RedisTopology;
import dev.protevus.boot.resilience.LockFreeCircuitBreakers;
import dev.protevus.boot.test.TestServer;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import org.springframework.cache.Cache.ValueWrapper;
import org.springframework.data.redis.connection.ReactiveRedisConnection;
import org.springframework.data.redis.connection.RedisStringCommands.SetOption;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.types.Expiration;
import org.springframework.lang.Nullable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link TieredCache} with the redis tier, against the real standalone Redis of
 * protevus-spring-boot-test; {@link RedisClusterTieredCacheTests} runs every test again
 * on the three-master cluster.
 */
class RedisTieredCacheTests {

	private static final Duration TTL = Duration.ofMinutes(5);

	static LettuceConnectionFactory connectionFactory;

	private static ReactiveStringRedisTemplate redis;

	private final MutableClock clock = new MutableClock();

	private final JsonCacheValueSerializer serializer = new JsonCacheValueSerializer(new ObjectMapper(),
			List.of("dev.protevus.boot.cache"));

	private final List<TieredCacheManager> managers = new ArrayList<>();

	@BeforeAll
	static void connect(TestInfo test) {
		connectionFactory = RedisTopology.of(test).connectionFactory();
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
		return manager(prefix, settings, invalidation, timeout, this.clock);
	}

	private TieredCacheManager manager(String prefix, TieredCacheSettings settings, boolean invalidation,
			Duration timeout, Clock clock) {
		return manager(connectionFactory, prefix, settings, invalidation, timeout, clock);
	}

	private TieredCacheManager manager(LettuceConnectionFactory connectionFactory, String prefix,
			TieredCacheSettings settings, boolean invalidation, Duration timeout, Clock clock) {
		CircuitBreaker breaker = CircuitBreaker.of("test",
				LockFreeCircuitBreakers.lockFree(CircuitBreakerConfig.custom()
					.slidingWindowSize(4)
					.minimumNumberOfCalls(4)
					.waitDurationInOpenState(Duration.ofMillis(500))
					.permittedNumberOfCallsInHalfOpenState(1)
					.build()));
		RedisTierSupport support = new RedisTierSupport(connectionFactory, prefix, timeout, Duration.ofSeconds(2),
				breaker);
		TieredCacheManager.Builder builder = TieredCacheManager.builder(settings)
			.clock(clock)
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
		// ttl plus the stale window, counted from the put; Redis has counted down since.
		assertThat(pttl("ttl:books::1")).isBetween(Duration.ofMinutes(6).minusSeconds(5), Duration.ofMinutes(6));
	}

	@Test
	void redisHitBackfillsMemoryWithTheRemainingTtl() {
		TieredCache cache = cache("fill:", CacheTier.MEMORY, CacheTier.REDIS);
		cache.put("1", new Book(1L, "Dune"));
		await().untilAsserted(() -> assertThat(redis.hasKey("fill:books::1").block()).isTrue());
		cache.invalidateLocally(null);
		CacheEntry found = (CacheEntry) cache.retrieve("1").join();
		assertThat(found.get()).isEqualTo(new Book(1L, "Dune"));
		long remaining = found.expiresAt() - this.clock.millis();
		assertThat(Duration.ofMillis(remaining)).isBetween(TTL.minusSeconds(5), TTL);
		assertThat(cache.statistics(CacheTier.REDIS).hits()).isOne();
		this.clock.advance(Duration.ofMillis(remaining - 1));
		assertThat(cache.get("1")).as("served from memory until the remaining ttl ends").isNotNull();
		assertThat(cache.statistics(CacheTier.REDIS).hits()).isOne();
		this.clock.advance(Duration.ofMillis(1));
		// Redis counts its own ttl in real time, so it still has the entry.
		assertThat(cache.get("1")).isNotNull();
		assertThat(cache.statistics(CacheTier.REDIS).hits()).as("memory's copy expired, read again").isEqualTo(2);
	}

	@Test
	void instancesWithSkewedClocksAgreeOnTheTtlBecauseRedisCountsIt() {
		TieredCacheSettings settings = TieredCacheSettings.of(TTL, CacheTier.MEMORY, CacheTier.REDIS);
		TieredCache writer = manager("skew:", settings, false).getCache("books");
		MutableClock ahead = new MutableClock();
		ahead.advance(Duration.ofMinutes(4));
		MutableClock behind = new MutableClock();
		behind.advance(Duration.ofMinutes(-4));
		TieredCache fast = manager("skew:", settings, false, Duration.ofSeconds(2), ahead).getCache("books");
		TieredCache slow = manager("skew:", settings, false, Duration.ofSeconds(2), behind).getCache("books");
		writer.put("1", "v");
		await().untilAsserted(() -> assertThat(redis.hasKey("skew:books::1").block()).isTrue());
		// By the writer's clock, 1 minute would be left for the fast instance and 9 for
		// the slow one.
		CacheEntry seenAhead = (CacheEntry) fast.retrieve("1").join();
		assertThat(Duration.ofMillis(seenAhead.expiresAt() - ahead.millis())).isBetween(TTL.minusSeconds(5), TTL);
		CacheEntry seenBehind = (CacheEntry) slow.retrieve("1").join();
		assertThat(Duration.ofMillis(seenBehind.expiresAt() - behind.millis())).isBetween(TTL.minusSeconds(5), TTL);
		ahead.advance(Duration.ofMinutes(2));
		assertThat(fast.get("1")).isNotNull();
		assertThat(fast.statistics(CacheTier.REDIS).hits()).as("still fresh in the fast instance's memory").isOne();
		behind.advance(TTL);
		assertThat(slow.get("1")).isNotNull();
		assertThat(slow.statistics(CacheTier.REDIS).hits()).as("expired in the slow instance's memory after the ttl")
			.isEqualTo(2);
	}

	@Test
	void aCacheWhoseFirstTierIsRedisServesAnEntryForAsLongAsRedisKeepsIt() {
		// Such a cache reads no remaining time: nothing is back-filled above Redis and
		// nothing stale is served, so the reader's clock plays no part.
		TieredCache cache = cache("present:", CacheTier.REDIS);
		assertThat(cache.store("1", "kept").toFuture()).succeedsWithin(Duration.ofSeconds(5));
		this.clock.advance(TTL.multipliedBy(2));
		assertThat(cache.retrieve("1").join()).isInstanceOfSatisfying(ValueWrapper.class,
				(wrapper) -> assertThat(wrapper.get()).isEqualTo("kept"));
		assertThat(redis.expire("present:books::1", Duration.ofMillis(1)).block()).isTrue();
		await().untilAsserted(() -> assertThat(cache.retrieve("1").join()).isNull());
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
	void clusterLockIsReleasedOnlyOnceRedisHoldsTheLoadedValue() {
		// On a Redis Cluster the lock and the entry live on different nodes: a release
		// sent before the entry's write completes can overtake it, and an instance
		// waiting for the lock would find no value and load again.
		List<Boolean> entryPresentAtRelease = new CopyOnWriteArrayList<>();
		CacheLoadLock lock = new CacheLoadLock() {

			@Override
			public Mono<String> tryLock(String cacheName, String key) {
				return Mono.just("token");
			}

			@Override
			public Mono<Void> unlock(String cacheName, String key, String token) {
				return redis.hasKey("released:books::" + key).doOnNext(entryPresentAtRelease::add).then();
			}

			@Override
			public Duration timeout() {
				return Duration.ofSeconds(2);
			}

		};
		TieredCacheSettings settings = TieredCacheSettings.of(TTL, CacheTier.MEMORY, CacheTier.REDIS)
			.withClusterLock(true);
		RedisTierSupport support = new RedisTierSupport(connectionFactory, "released:", Duration.ofSeconds(2),
				Duration.ofSeconds(2),
				CircuitBreaker.of("released", LockFreeCircuitBreakers.lockFree(CircuitBreakerConfig.ofDefaults())));
		TieredCacheManager manager = TieredCacheManager.builder(settings)
			.serializer(this.serializer)
			.redis(support)
			.loadLock(lock)
			.build();
		manager.afterPropertiesSet();
		this.managers.add(manager);
		TieredCache cache = manager.getCache("books");
		assertThat(cache.retrieve("async", () -> CompletableFuture.completedFuture((Object) "loaded")))
			.succeedsWithin(Duration.ofSeconds(5));
		assertThat(cache.get("blocking", () -> "loaded")).isEqualTo("loaded");
		await().untilAsserted(() -> assertThat(entryPresentAtRelease).containsExactly(true, true));
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
	void payloadNamingAClassOutsideTheAllowlistInsideAnAllowedOneIsAMiss() {
		TieredCache cache = cache("nested:", CacheTier.REDIS);
		writeRaw("nested:books::url",
				"{\"@class\":\"dev.protevus.boot.cache.RedisTieredCacheTests$Holder\",\"payload\":[\"java.net.URL\",\"http://example.com\"]}");
		writeRaw("nested:books::map",
				"{\"@class\":\"dev.protevus.boot.cache.RedisTieredCacheTests$Holder\",\"payload\":{\"@class\":\"java.util.HashMap\",\"k\":[\"java.net.URL\",\"http://example.com\"]}}");
		writeRaw("nested:books::fine",
				"{\"@class\":\"dev.protevus.boot.cache.RedisTieredCacheTests$Holder\",\"payload\":[\"java.lang.Long\",5]}");
		assertThat(cache.retrieve("url").join()).isNull();
		assertThat(cache.retrieve("map").join()).isNull();
		assertThat(cache.statistics(CacheTier.REDIS).errors()).isEqualTo(2);
		assertThat(cache.retrieve("fine").join()).extracting((wrapper) -> ((CacheEntry) wrapper).get())
			.isEqualTo(new Holder(5L));
	}

	@Test
	void garbageAndTruncatedEntriesInRedisAreMissesThatAreDeletedAndCounted() {
		TieredCache cache = cache("corrupt:", CacheTier.REDIS);
		cache.put("truncated", new Book(1L, "Dune"));
		await().untilAsserted(() -> assertThat(redis.hasKey("corrupt:books::truncated").block()).isTrue());
		byte[] whole = readBytes("corrupt:books::truncated");
		writeBytes("corrupt:books::truncated", Arrays.copyOf(whole, whole.length - 4), null);
		writeBytes("corrupt:books::garbage", "\u0000\u00ffnot a cache entry".getBytes(StandardCharsets.UTF_8), null);
		writeBytes("corrupt:books::short", new byte[] { 1 }, null);
		for (String key : List.of("truncated", "garbage", "short")) {
			assertThat(cache.retrieve(key)).succeedsWithin(Duration.ofSeconds(5)).isNull();
		}
		assertThat(cache.statistics(CacheTier.REDIS).errors()).isEqualTo(3);
		await().untilAsserted(() -> assertThat(count("corrupt:books::*")).as("deleted").isZero());
		assertThat(cache.retrieve("garbage").join()).isNull();
		assertThat(cache.statistics(CacheTier.REDIS).errors()).as("the next read is a plain miss").isEqualTo(3);
	}

	@Test
	void valuesOverTheMaximumSizeStayOutOfRedisAndOtherReadsKeepTheirBound() {
		Duration timeout = Duration.ofMillis(250);
		TieredCache cache = manager("large:", TieredCacheSettings.of(TTL, CacheTier.MEMORY, CacheTier.REDIS), false,
				timeout)
			.getCache("books");
		await().untilAsserted(() -> {
			cache.put("small", "s");
			assertThat(redis.hasKey("large:books::small").block()).isTrue();
		});
		String big = "x".repeat(5 * 1024 * 1024);
		List<CompletableFuture<Void>> bigPuts = IntStream.range(0, 5)
			.mapToObj((i) -> cache.store("big-" + i, big).toFuture())
			.toList();
		List<Long> latencies = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			cache.invalidateLocally("small");
			long start = System.nanoTime();
			assertThat(cache.retrieve("small").join()).isNotNull();
			latencies.add(Duration.ofNanos(System.nanoTime() - start).toMillis());
		}
		assertThat(CompletableFuture.allOf(bigPuts.toArray(CompletableFuture[]::new)))
			.succeedsWithin(Duration.ofSeconds(10));
		assertThat(latencies).allSatisfy((millis) -> assertThat(millis).isLessThan(timeout.toMillis()));
		assertThat(cache.statistics(CacheTier.REDIS).hits()).isEqualTo(20);
		assertThat(cache.statistics(CacheTier.REDIS).errors()).isZero();
		assertThat(count("large:books::big-*")).isZero();
		assertThat(cache.get("big-0").get()).as("kept in memory").isEqualTo(big);
	}

	@Test
	void staleEntryFromRedisIsServedWhileRefreshesFailUntilRedisExpiresIt() {
		TieredCache cache = manager("stale:",
				TieredCacheSettings.of(TTL, CacheTier.REDIS).withStaleWhileRevalidate(Duration.ofMinutes(1)), false)
			.getCache("books");
		// 2 s left in Redis of a one-minute stale window: past its ttl, still servable.
		writeRaw("stale:books::1", "\"old\"", Duration.ofSeconds(2));
		AtomicInteger refreshes = new AtomicInteger();
		for (int i = 0; i < 3; i++) {
			assertThat(cache.retrieve("1", () -> {
				refreshes.incrementAndGet();
				return CompletableFuture.failedFuture(new IllegalStateException("source down"));
			})).succeedsWithin(Duration.ofSeconds(5)).isEqualTo("old");
		}
		assertThat(refreshes).as("each failed refresh is tried again").hasValueGreaterThanOrEqualTo(1);
		assertThat(cache.retrieve("1").join()).as("stale: no hit without a loader").isNull();
		// Served stale while refreshes fail, until Redis expires the entry with the
		// window; then the failure reaches the caller.
		await().atMost(Duration.ofSeconds(10)).until(() -> {
			CompletableFuture<Object> result = cache.retrieve("1",
					() -> CompletableFuture.failedFuture(new IllegalStateException("source down")));
			try {
				assertThat(result.get(5, TimeUnit.SECONDS)).isEqualTo("old");
				return false;
			}
			catch (ExecutionException ex) {
				return true;
			}
		});
		assertThat(redis.hasKey("stale:books::1").block()).isFalse();
	}

	@Test
	void deadRedisIsSkippedAndUsedAgainAfterItComesBack() {
		// Lettuce reconnecting at least once a second, as Protevus's auto-configuration
		// makes it: with Lettuce's own doubling delay (up to 30 s), a Redis restarted
		// after an outage of some seconds may wait as long again to be used.
		ClientResources resources = DefaultClientResources.builder()
			.reconnectDelay(Delay.exponential(Duration.ZERO, Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
			.build();
		LettuceConnectionFactory factory = RedisTopology.of(getClass())
			.connectionFactory(LettuceClientConfiguration.builder().clientResources(resources).build());
		ReactiveStringRedisTemplate template = new ReactiveStringRedisTemplate(factory);
		TieredCacheManager manager = manager(factory, "failopen:",
				TieredCacheSettings.of(TTL, CacheTier.MEMORY, CacheTier.REDIS), false, Duration.ofMillis(250),
				this.clock);
		try {
			TieredCache cache = manager.getCache("books");
			// On a loaded machine the first connection may take longer than the 250 ms
			// bound, so the put is repeated until Redis has it.
			await().untilAsserted(() -> {
				cache.put("cached", "in memory");
				assertThat(template.hasKey("failopen:books::cached").block()).isTrue();
			});
			TestServer server = RedisTopology.of(getClass()).server();
			AtomicInteger loads = new AtomicInteger();
			AtomicBoolean opened = new AtomicBoolean();
			// Puts that timed out while the first connection was made may have opened the
			// breaker already (then calls are refused and nothing opens it during the
			// outage until its 500 ms have passed): reset, it opens on the outage's own
			// failures, and the listener sees that.
			CircuitBreaker breaker = manager.getRedisTierSupport().circuitBreaker();
			breaker.reset();
			breaker.getEventPublisher()
				.onStateTransition((event) -> opened.compareAndSet(false,
						event.getStateTransition().getToState() == CircuitBreaker.State.OPEN));
			server.stop();
			try {
				// Until the breaker opens, a miss waits for the Redis read, bounded by
				// the 250 ms timeout; after, for nothing. The 1 s allows for a loaded
				// machine.
				for (int i = 0; i < 20; i++) {
					assertThat(cache.get("cached").get()).isEqualTo("in memory");
					String key = "miss-" + i;
					assertThat(cache.retrieve(key, () -> {
						loads.incrementAndGet();
						return CompletableFuture.completedFuture("loaded");
					})).succeedsWithin(Duration.ofSeconds(1)).isEqualTo("loaded");
				}
				assertThat(loads).hasValue(20);
				assertThat(cache.statistics(CacheTier.REDIS).errors()).isPositive();
				// Opened, rather than open now: half-open after its 500 ms, it may be
				// closed or open at this point. Awaited, as a put written behind records
				// its failure after the caller has its answer.
				await("the breaker opened").atMost(Duration.ofSeconds(5)).untilTrue(opened);
			}
			finally {
				server.start();
			}
			long putsBefore = cache.statistics(CacheTier.REDIS).puts();
			await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
				cache.put("after", "restart");
				assertThat(cache.statistics(CacheTier.REDIS).puts()).isGreaterThan(putsBefore);
			});
			// A put the breaker refused meanwhile left the key unsettled, and the
			// reconnection deletes such keys from Redis (its copy may be older than the
			// refused value): a write made now lands and stays.
			await().untilAsserted(() -> {
				cache.put("after", "restart");
				assertThat(template.hasKey("failopen:books::after").block()).isTrue();
			});
		}
		finally {
			this.managers.remove(manager);
			manager.destroy();
			factory.destroy();
			resources.shutdown(0, 2, TimeUnit.SECONDS);
		}
	}

	@Test
	void expiredOperationsFailOnLettucesExecutorsWhenTheFactoryHasClientResources() {
		ClientResources resources = DefaultClientResources.create();
		LettuceConnectionFactory withResources = RedisTopology.of(getClass())
			.connectionFactory(LettuceClientConfiguration.builder().clientResources(resources).build());
		try {
			RedisTierSupport support = new RedisTierSupport(withResources, "timer:", Duration.ofSeconds(1),
					Duration.ofSeconds(1),
					CircuitBreaker.of("timer", LockFreeCircuitBreakers.lockFree(CircuitBreakerConfig.ofDefaults())));
			assertThat(support.failsExpiredOnLettuceExecutors()).isTrue();
			AtomicReference<String> failedOn = new AtomicReference<>();
			StepVerifier
				.create(support.bounded(Mono.never(), Duration.ofMillis(50))
					.doOnError((ex) -> failedOn.set(Thread.currentThread().getName())))
				.expectError(TimeoutException.class)
				.verify(Duration.ofSeconds(5));
			assertThat(failedOn.get()).as("the caller's code never runs on the timer thread")
				.doesNotContain(RemoteTierTimeouts.THREAD_NAME);
			support.destroy();
		}
		finally {
			withResources.destroy();
			resources.shutdown();
		}
	}

	@Test
	void expiredOperationsFailOnReactorsSchedulerWithoutLettucesClientResources() {
		RedisTierSupport support = new RedisTierSupport(connectionFactory, "timer:", Duration.ofSeconds(1),
				Duration.ofSeconds(1),
				CircuitBreaker.of("timer", LockFreeCircuitBreakers.lockFree(CircuitBreakerConfig.ofDefaults())));
		assertThat(support.failsExpiredOnLettuceExecutors()).isFalse();
		AtomicReference<String> failedOn = new AtomicReference<>();
		StepVerifier
			.create(support.bounded(Mono.never(), Duration.ofMillis(50))
				.doOnError((ex) -> failedOn.set(Thread.currentThread().getName())))
			.expectError(TimeoutException.class)
			.verify(Duration.ofSeconds(5));
		assertThat(failedOn.get()).startsWith("parallel-");
	}

	private static long count(String pattern) {
		return redis.scan(ScanOptions.scanOptions().match(pattern).count(1000).build()).count().block();
	}

	/**
	 * Writes an entry in the binary layout that came before the text header.
	 */
	private static void writeRaw(String key, String json) {
		writeRaw(key, json, null);
	}

	private static void writeRaw(String key, String json, @Nullable Duration ttl) {
		byte[] payload = json.getBytes(StandardCharsets.UTF_8);
		byte[] entry = ByteBuffer.allocate(10 + payload.length)
			.put((byte) 1)
			.put((byte) 0)
			.putLong(Long.MAX_VALUE / 2)
			.put(payload)
			.array();
		writeBytes(key, entry, ttl);
	}

	private static void writeBytes(String key, byte[] bytes, @Nullable Duration ttl) {
		ReactiveRedisConnection connection = connectionFactory.getReactiveConnection();
		try {
			connection.stringCommands()
				.set(ByteBuffer.wrap(key.getBytes(StandardCharsets.UTF_8)), ByteBuffer.wrap(bytes),
						(ttl != null) ? Expiration.from(ttl) : Expiration.persistent(), SetOption.upsert())
				.block();
		}
		finally {
			connection.close();
		}
	}

	private static byte[] readBytes(String key) {
		ReactiveRedisConnection connection = connectionFactory.getReactiveConnection();
		try {
			ByteBuffer buffer = connection.stringCommands()
				.get(ByteBuffer.wrap(key.getBytes(StandardCharsets.UTF_8)))
				.block();
			byte[] bytes = new byte[buffer.remaining()];
			buffer.get(bytes);
			return bytes;
		}
		finally {
			connection.close();
		}
	}

	private static Duration pttl(String key) {
		ReactiveRedisConnection connection = connectionFactory.getReactiveConnection();
		try {
			return Duration
				.ofMillis(connection.keyCommands().pTtl(ByteBuffer.wrap(key.getBytes(StandardCharsets.UTF_8))).block());
		}
		finally {
			connection.close();
		}
	}

	record Book(Long id, String title) {
	}

	record Holder(Object payload) {
	}

}
