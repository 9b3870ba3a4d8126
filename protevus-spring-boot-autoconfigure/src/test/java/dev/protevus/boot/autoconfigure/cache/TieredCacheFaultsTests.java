package dev.protevus.boot.autoconfigure.cache;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import dev.protevus.boot.autoconfigure.ProtevusAutoConfiguration;
import dev.protevus.boot.cache.CacheTier;
import dev.protevus.boot.cache.RedisTierSupport;
import dev.protevus.boot.cache.TieredCache;
import dev.protevus.boot.cache.TieredCacheManager;
import dev.protevus.boot.test.TestRedis;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.event.CircuitBreakerEvent;
import io.github.resilience4j.circuitbreaker.event.CircuitBreakerOnStateTransitionEvent;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.cache.CacheAutoConfiguration;
import org.springframework.boot.autoconfigure.data.redis.LettuceClientOptionsBuilderCustomizer;
import org.springframework.boot.autoconfigure.data.redis.RedisAutoConfiguration;
import org.springframework.boot.autoconfigure.data.redis.RedisReactiveAutoConfiguration;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.Cache.ValueWrapper;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.RedisSystemException;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the cache does when Redis hangs, dies, starts late or cuts one instance off, with
 * the auto-configured defaults (timeout, circuit breaker, Lettuce options), against the
 * embedded Redis of protevus-spring-boot-test.
 */
class TieredCacheFaultsTests {

	private static final Duration TIMEOUT = new TieredCacheProperties().getRedis().getTimeout();

	/**
	 * What a read may take beyond the timeout while Redis hangs: the timeout timer's 10
	 * ms tick, then running the read's fallback and completing it.
	 */
	private static final Duration ALLOWANCE = Duration.ofMillis(100);

	private final ApplicationContextRunner instance = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ProtevusAutoConfiguration.class, TieredCacheAutoConfiguration.class,
				CacheAutoConfiguration.class, JacksonAutoConfiguration.class, RedisAutoConfiguration.class,
				RedisReactiveAutoConfiguration.class))
		.withUserConfiguration(CachingConfiguration.class)
		.withPropertyValues(TestRedis.get().propertyValues())
		.withPropertyValues("protevus.cache.caches.probes.tiers=redis");

	@Test
	void lettuceQueuesAreBoundedAndRejectCommandsWhileDisconnected() {
		this.instance.run((context) -> {
			ClientOptions options = clientOptions(context);
			assertThat(options.getRequestQueueSize())
				.isEqualTo(TieredCacheConfigurations.LettuceClientOptionsConfiguration.REQUEST_QUEUE_SIZE);
			assertThat(options.getDisconnectedBehavior()).isEqualTo(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
		});
	}

	@Test
	void lettuceTriesToReconnectAtLeastOnceASecond() {
		this.instance.run((context) -> {
			Delay delay = context.getBean(ClientResources.class).reconnectDelay();
			assertThat(delay.createDelay(1)).isLessThanOrEqualTo(Duration.ofMillis(1));
			assertThat(delay.createDelay(10)).isEqualTo(Duration.ofMillis(512));
			assertThat(delay.createDelay(20)).isEqualTo(Duration.ofSeconds(1));
		});
	}

	@Test
	void lettuceOptionsOfTheApplicationWin() {
		this.instance.withUserConfiguration(OwnLettuceOptions.class).run((context) -> {
			ClientOptions options = clientOptions(context);
			assertThat(options.getRequestQueueSize()).isEqualTo(100);
			assertThat(options.getDisconnectedBehavior()).isEqualTo(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
		});
	}

	@Test
	void hungRedisCostsAReadAtMostTheTimeoutOpensTheBreakerAndIsUsedAgainSoonAfterItResumes() {
		this.instance.withPropertyValues("spring.application.name=hang").run((context) -> {
			TieredCache books = books(context);
			CircuitBreaker breaker = context.getBean(RedisTierSupport.class).circuitBreaker();
			TestRedis server = TestRedis.get();
			warmUp(context);
			for (int i = 0; i < 100; i++) {
				books.put("hot-" + i, "in memory");
			}
			// One timed-out read first, so that the measured ones run on warm code.
			server.pause();
			try {
				assertThat(read(books, "warm-up")).succeedsWithin(Duration.ofSeconds(5));
			}
			finally {
				server.resume();
			}
			server.pause();
			List<Timed> reads = new ArrayList<>();
			List<Timed> timers = new ArrayList<>();
			try {
				for (int i = 0; i < 100; i++) {
					String n = Integer.toString(i);
					reads.add(Timed.of(() -> read(books, "hot-" + n)));
					reads.add(Timed.of(() -> read(books, "cold-" + n)));
					timers.add(Timed.of(() -> Mono.delay(TIMEOUT).<Object>thenReturn(n).toFuture()));
				}
				assertThat(CompletableFuture.allOf(reads.stream().map(Timed::result).toArray(CompletableFuture[]::new)))
					.succeedsWithin(Duration.ofSeconds(10));
				assertThat(
						CompletableFuture.allOf(timers.stream().map(Timed::result).toArray(CompletableFuture[]::new)))
					.succeedsWithin(Duration.ofSeconds(10));
				assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);
				// How late plain timers of the same length ran beside the reads: what a
				// machine loaded by other work adds to any bound, near zero when idle.
				Duration lag = timers.stream()
					.map(Timed::elapsed)
					.max(Duration::compareTo)
					.orElseThrow()
					.minus(TIMEOUT);
				Duration bound = TIMEOUT.plus(ALLOWANCE).plus(lag);
				assertThat(reads).allSatisfy((read) -> {
					assertThat(read.result().join()).isNotNull();
					assertThat(read.elapsed()).isLessThanOrEqualTo(bound);
				});
				assertThat(reads.stream().filter((read) -> read.result().join().equals("in memory")))
					.as("memory hits, at memory speed")
					.hasSize(100)
					.allSatisfy((read) -> assertThat(read.elapsed()).isLessThan(Duration.ofMillis(50)));
				Timed whileOpen = Timed.of(() -> read(books, "while-open"));
				assertThat(whileOpen.result()).succeedsWithin(Duration.ofSeconds(1));
				assertThat(whileOpen.elapsed()).as("the open breaker skips Redis").isLessThan(Duration.ofMillis(50));
			}
			finally {
				server.resume();
			}
			TieredCache probes = probes(context);
			long redisHits = probes.statistics(CacheTier.REDIS).hits();
			await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
				probes.retrieve("warm").join();
				assertThat(probes.statistics(CacheTier.REDIS).hits()).isGreaterThan(redisHits);
			});
		});
	}

	@Test
	void startsWhileRedisIsDownServesFromMemoryAndUsesRedisOnceItIsUp() {
		TestRedis server = TestRedis.get();
		server.stop();
		try {
			this.instance.withPropertyValues("spring.application.name=late").run((context) -> {
				assertThat(context).hasNotFailed();
				TieredCache books = books(context);
				assertThat(read(books, "1")).succeedsWithin(Duration.ofSeconds(2)).isEqualTo("loaded");
				assertThat(books.get("1").get()).isEqualTo("loaded");
				assertThat(books.statistics(CacheTier.REDIS).puts()).isZero();
				server.start();
				await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
					books.put("2", "stored");
					assertThat(books.statistics(CacheTier.REDIS).puts()).isPositive();
				});
			});
		}
		finally {
			server.start();
		}
	}

	@Test
	void killedUnderConcurrentLoadFailsNoReadAndProbesGently() {
		this.instance.withPropertyValues("spring.application.name=killed").run((context) -> {
			TieredCache books = books(context);
			CircuitBreaker breaker = context.getBean(RedisTierSupport.class).circuitBreaker();
			HalfOpenCalls probes = new HalfOpenCalls();
			breaker.getEventPublisher().onEvent(probes::record);
			TestRedis server = TestRedis.get();
			warmUp(context);
			List<Timed> reads = new CopyOnWriteArrayList<>();
			List<Timed> timers = new ArrayList<>();
			CompletableFuture<Void> stopped = null;
			try {
				for (int i = 0; i < 200; i++) {
					String key = "load-" + i;
					reads.add(Timed.of(() -> read(books, key)));
					if (i % 10 == 0) {
						timers.add(Timed.of(() -> Mono.delay(TIMEOUT).<Object>thenReturn(key).toFuture()));
					}
					if (i == 60) {
						// Killed while the reads go on, not between them.
						stopped = CompletableFuture.runAsync(server::stop);
					}
				}
				assertThat(stopped).succeedsWithin(Duration.ofSeconds(30));
				assertThat(CompletableFuture.allOf(reads.stream().map(Timed::result).toArray(CompletableFuture[]::new)))
					.succeedsWithin(Duration.ofSeconds(10));
				assertThat(
						CompletableFuture.allOf(timers.stream().map(Timed::result).toArray(CompletableFuture[]::new)))
					.succeedsWithin(Duration.ofSeconds(10));
				// How late plain timers ran beside the reads: what a machine loaded by
				// other
				// work adds to any bound, near zero when idle.
				Duration lag = timers.stream()
					.map(Timed::elapsed)
					.max(Duration::compareTo)
					.orElseThrow()
					.minus(TIMEOUT);
				assertThat(reads).hasSize(200).allSatisfy((read) -> {
					assertThat(read.result()).isCompletedWithValueMatching((value) -> value != null);
					assertThat(read.elapsed()).isLessThan(Duration.ofSeconds(1).plus(lag));
				});
				// Load goes on while Redis is down and after it returns.
				for (int i = 0; i < 30; i++) {
					assertThat(read(books, "down-" + i)).succeedsWithin(Duration.ofSeconds(1));
				}
			}
			finally {
				server.start();
			}
			AtomicInteger round = new AtomicInteger();
			await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(20)).untilAsserted(() -> {
				List<CompletableFuture<Object>> burst = new ArrayList<>();
				for (int i = 0; i < 20; i++) {
					burst.add(read(books, "back-" + round.get() + "-" + i));
				}
				round.incrementAndGet();
				assertThat(CompletableFuture.allOf(burst.toArray(CompletableFuture[]::new)))
					.succeedsWithin(Duration.ofSeconds(1));
				assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
			});
			assertThat(probes.episodes()).as("half-open episodes").isNotEmpty();
			assertThat(probes.episodes()).as("calls let through to Redis in each half-open episode")
				.allSatisfy((calls) -> assertThat(calls)
					.isLessThanOrEqualTo(breaker.getCircuitBreakerConfig().getPermittedNumberOfCallsInHalfOpenState()));
		});
	}

	@Test
	void instanceCutOffFromRedisDropsItsMemoryTierWithinOneSecondOfReconnecting() throws Exception {
		TestRedis server = TestRedis.get();
		try (TcpProxy proxy = new TcpProxy(server.host(), server.port())) {
			ApplicationContextRunner service = this.instance.withPropertyValues("spring.application.name=cutoff");
			service.run((first) -> service.withPropertyValues("spring.data.redis.url=redis://127.0.0.1:" + proxy.port())
				.run((second) -> {
					TieredCache mine = books(first);
					TieredCache theirs = books(second);
					mine.put("1", "v1");
					await().untilAsserted(() -> assertThat(value(theirs, "1")).isEqualTo("v1"));
					proxy.cut();
					long putsBefore = mine.statistics(CacheTier.REDIS).puts();
					mine.put("1", "v2");
					await().untilAsserted(
							() -> assertThat(mine.statistics(CacheTier.REDIS).puts()).isGreaterThan(putsBefore));
					proxy.restore();
					await().atMost(Duration.ofSeconds(60)).until(() -> proxy.firstConnectionSinceRestore() != 0);
					await().atMost(Duration.ofSeconds(5)).until(() -> "v2".equals(value(theirs, "1")));
					long sinceReconnect = System.nanoTime() - proxy.firstConnectionSinceRestore();
					assertThat(Duration.ofNanos(sinceReconnect)).isLessThanOrEqualTo(Duration.ofSeconds(1));
				}));
		}
	}

	@Test
	void entriesEvictedOrReplacedWhileRedisIsDownAreDeletedFromRedisOnceItIsBack() {
		this.instance.withPropertyValues("spring.application.name=settle").run((context) -> {
			TieredCache books = books(context);
			ReactiveStringRedisTemplate redis = context.getBean(ReactiveStringRedisTemplate.class);
			warmUp(context);
			books.store("evicted", "old").block(Duration.ofSeconds(5));
			books.store("replaced", "old").block(Duration.ofSeconds(5));
			assertThat(redis.hasKey("settle:books::evicted").block(Duration.ofSeconds(5))).isTrue();
			TestRedis server = TestRedis.get();
			// Redis saves its data when it stops and loads it when it starts, so the old
			// values come back with it.
			server.stop();
			try {
				books.evict("evicted");
				books.store("replaced", "new").block(Duration.ofSeconds(5));
			}
			finally {
				server.start();
			}
			// Lettuce reconnects within a second; the keys are deleted right after.
			// Until then this check's own commands are rejected too, so it retries.
			await().atMost(Duration.ofSeconds(10))
				.ignoreExceptionsInstanceOf(RedisSystemException.class)
				.untilAsserted(() -> {
					assertThat(redis.hasKey("settle:books::evicted").block(Duration.ofSeconds(1))).isFalse();
					assertThat(redis.hasKey("settle:books::replaced").block(Duration.ofSeconds(1))).isFalse();
				});
			assertThat(value(books, "evicted")).isNull();
			assertThat(value(books, "replaced")).isNotEqualTo("old");
		});
	}

	/**
	 * Connects and runs Redis reads until they are warm, through the Redis-only cache
	 * {@code probes}, which holds "warm".
	 */
	private static void warmUp(AssertableApplicationContext context) {
		TieredCache probes = probes(context);
		// On a loaded machine the first connection may take longer than the timeout.
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			probes.put("warm", "up");
			assertThat(probes.statistics(CacheTier.REDIS).puts()).isPositive();
		});
		for (int i = 0; i < 20; i++) {
			probes.retrieve("warm").join();
		}
	}

	private static TieredCache probes(AssertableApplicationContext context) {
		return context.getBean(TieredCacheManager.class).getCache("probes");
	}

	private static CompletableFuture<Object> read(TieredCache cache, String key) {
		return cache.retrieve(key, () -> CompletableFuture.completedFuture("loaded"));
	}

	private static ClientOptions clientOptions(AssertableApplicationContext context) {
		return context.getBean(LettuceConnectionFactory.class)
			.getClientConfiguration()
			.getClientOptions()
			.orElseThrow();
	}

	private static TieredCache books(AssertableApplicationContext context) {
		return context.getBean(TieredCacheManager.class).getCache("books");
	}

	private static Object value(TieredCache cache, String key) {
		Object found = cache.retrieve(key).join();
		return (found != null) ? ((ValueWrapper) found).get() : null;
	}

	/**
	 * A read and how long it took, from the call until its result completed.
	 */
	record Timed(CompletableFuture<Object> result, AtomicReference<Duration> took) {

		static Timed of(java.util.function.Supplier<CompletableFuture<Object>> call) {
			AtomicReference<Duration> took = new AtomicReference<>();
			long start = System.nanoTime();
			CompletableFuture<Object> result = call.get()
				.whenComplete((value, ex) -> took.set(Duration.ofNanos(System.nanoTime() - start)));
			return new Timed(result, took);
		}

		Duration elapsed() {
			return this.took.get();
		}

	}

	/**
	 * Counts the calls the breaker let through while half-open, per half-open episode.
	 */
	static final class HalfOpenCalls {

		private final ConcurrentLinkedQueue<Integer> episodes = new ConcurrentLinkedQueue<>();

		private final AtomicInteger current = new AtomicInteger(-1);

		void record(CircuitBreakerEvent event) {
			switch (event.getEventType()) {
				case STATE_TRANSITION -> {
					int calls = this.current.getAndSet(-1);
					if (calls >= 0) {
						this.episodes.add(calls);
					}
					if (event instanceof CircuitBreakerOnStateTransitionEvent transition
							&& transition.getStateTransition().getToState() == CircuitBreaker.State.HALF_OPEN) {
						this.current.set(0);
					}
				}
				case SUCCESS, ERROR, IGNORED_ERROR ->
					this.current.getAndUpdate((calls) -> (calls >= 0) ? calls + 1 : calls);
				default -> {
				}
			}
		}

		List<Integer> episodes() {
			return List.copyOf(this.episodes);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableCaching
	static class CachingConfiguration {

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnLettuceOptions {

		@Bean
		LettuceClientOptionsBuilderCustomizer smallQueue() {
			return (options) -> options.requestQueueSize(100);
		}

	}

}
