package dev.protevus.boot.autoconfigure.cache;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

import dev.protevus.boot.autoconfigure.ProtevusAutoConfiguration;
import dev.protevus.boot.cache.TieredCacheManager;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.cache.CacheAutoConfiguration;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.Cache;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.concurrent.ConcurrentMapCache;
import org.springframework.cache.interceptor.CacheOperationInvocationContext;
import org.springframework.cache.interceptor.CacheResolver;
import org.springframework.cache.interceptor.KeyGenerator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the coalescing interceptor does with the rest of {@code @Cacheable}: several
 * caches, key generators, conditions, and caches that are not Protevus's.
 */
class CoalescingCacheInterceptorTests {

	private static final int CALLERS = 50;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ProtevusAutoConfiguration.class, TieredCacheAutoConfiguration.class,
				CacheAutoConfiguration.class, JacksonAutoConfiguration.class))
		.withUserConfiguration(ScoreConfiguration.class);

	@Test
	void severalCachesShareOneInvocationAndEachStoresTheResult() {
		this.contextRunner.run((context) -> {
			Scores scores = context.getBean(Scores.class);
			TieredCacheManager manager = context.getBean(TieredCacheManager.class);
			scores.holdUntil(() -> (int) manager.getCache("daily")
				.statistics(dev.protevus.boot.cache.CacheTier.MEMORY)
				.misses());
			assertThat(burst(() -> scores.inTwoCaches(1))).containsOnly("score 1");
			assertThat(scores.invocations()).isOne();
			assertThat(manager.getCache("daily").get(1L).get()).isEqualTo("score 1");
			assertThat(manager.getCache("weekly").get(1L).get()).isEqualTo("score 1");
		});
	}

	@Test
	void aValueFoundInALaterCacheIsServedWithoutAnInvocation() {
		this.contextRunner.run((context) -> {
			Scores scores = context.getBean(Scores.class);
			context.getBean(TieredCacheManager.class).getCache("weekly").put(2L, "kept 2");
			assertThat(scores.inTwoCaches(2).block(Duration.ofSeconds(5))).isEqualTo("kept 2");
			assertThat(scores.invocations()).isZero();
		});
	}

	@Test
	void aKeyGeneratorOfTheApplicationMakesTheKey() {
		this.contextRunner.run((context) -> {
			Scores scores = context.getBean(Scores.class);
			scores.withKeyGenerator(3).block(Duration.ofSeconds(5));
			assertThat(context.getBean(TieredCacheManager.class).getCache("daily").get("generated-3")).isNotNull();
		});
	}

	@Test
	void aFailingConditionBypassesTheCache() {
		this.contextRunner.run((context) -> {
			Scores scores = context.getBean(Scores.class);
			scores.onlyPositive(-4).block(Duration.ofSeconds(5));
			scores.onlyPositive(-4).block(Duration.ofSeconds(5));
			assertThat(scores.invocations()).isEqualTo(2);
		});
	}

	@Test
	void cachesOfAnotherResolverKeepSpringsBehaviour() {
		this.contextRunner.run((context) -> {
			Scores scores = context.getBean(Scores.class);
			// Each caller invokes the method, as in Spring: all of them get there.
			scores.holdUntil(scores::invocations);
			assertThat(burst(() -> scores.elsewhere(5))).containsOnly("score 5");
			assertThat(scores.invocations()).isEqualTo(CALLERS);
		});
	}

	@Test
	void aPlainMethodCalledOnAnEventLoopNeverWaitsForAnotherCallersLoad() {
		this.contextRunner.run((context) -> {
			Scores scores = context.getBean(Scores.class);
			CountDownLatch release = new CountDownLatch(1);
			scores.holdPlainUntil(release);
			CompletableFuture<String> held = CompletableFuture.supplyAsync(() -> scores.plain(6),
					(task) -> Schedulers.boundedElastic().schedule(task));
			await().until(() -> scores.invocations() == 1);
			// On a non-blocking thread, which BlockHound watches: waiting would fail.
			String onLoop = Mono.fromCallable(() -> scores.plain(6))
				.subscribeOn(Schedulers.parallel())
				.block(Duration.ofSeconds(5));
			assertThat(onLoop).isEqualTo("plain 6");
			assertThat(held).isNotDone();
			assertThat(scores.invocations()).isEqualTo(2);
			release.countDown();
			assertThat(held).succeedsWithin(Duration.ofSeconds(5)).isEqualTo("plain 6");
		});
	}

	private static List<String> burst(java.util.function.Supplier<Mono<String>> call) {
		return Flux.range(0, CALLERS)
			.flatMap((i) -> Mono.defer(call).subscribeOn(Schedulers.parallel()), CALLERS)
			.collectList()
			.block(Duration.ofSeconds(30));
	}

	static class Scores {

		private final AtomicInteger invocations = new AtomicInteger();

		private volatile IntSupplier arrived = () -> CALLERS;

		public int invocations() {
			return this.invocations.get();
		}

		/**
		 * Holds every result until the count reaches the number of callers.
		 */
		public void holdUntil(IntSupplier arrived) {
			this.arrived = arrived;
		}

		private Mono<String> score(String text) {
			this.invocations.incrementAndGet();
			return Flux.interval(Duration.ZERO, Duration.ofMillis(5))
				.filter((tick) -> this.arrived.getAsInt() >= CALLERS)
				.skip(1)
				.next()
				.thenReturn(text)
				.timeout(Duration.ofSeconds(20));
		}

		private volatile CountDownLatch release = new CountDownLatch(0);

		/**
		 * Holds the plain method on blocking threads until the latch opens.
		 */
		public void holdPlainUntil(CountDownLatch release) {
			this.release = release;
		}

		@Cacheable("plain")
		public String plain(long id) {
			this.invocations.incrementAndGet();
			if (!Schedulers.isInNonBlockingThread()) {
				try {
					this.release.await(10, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
			return "plain " + id;
		}

		@Cacheable(cacheNames = { "daily", "weekly" })
		public Mono<String> inTwoCaches(long id) {
			return score("score " + id);
		}

		@Cacheable(cacheNames = "daily", keyGenerator = "prefixingKeyGenerator")
		public Mono<String> withKeyGenerator(long id) {
			return score("score " + id);
		}

		@Cacheable(cacheNames = "daily", condition = "#id > 0")
		public Mono<String> onlyPositive(long id) {
			return score("score " + id);
		}

		@Cacheable(cacheNames = "elsewhere", cacheResolver = "mapCacheResolver")
		public Mono<String> elsewhere(long id) {
			return score("score " + id);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableCaching
	static class ScoreConfiguration {

		@Bean
		Scores scores() {
			return new Scores();
		}

		@Bean
		KeyGenerator prefixingKeyGenerator() {
			return (target, method, params) -> "generated-" + params[0];
		}

		@Bean
		CacheResolver mapCacheResolver() {
			Cache cache = new ConcurrentMapCache("elsewhere");
			return new CacheResolver() {

				@Override
				public Collection<? extends Cache> resolveCaches(CacheOperationInvocationContext<?> context) {
					return List.of(cache);
				}

			};
		}

	}

}
