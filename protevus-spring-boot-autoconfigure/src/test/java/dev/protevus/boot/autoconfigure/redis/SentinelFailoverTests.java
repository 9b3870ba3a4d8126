package dev.protevus.boot.autoconfigure.redis;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.protevus.boot.autoconfigure.ProtevusAutoConfiguration;
import dev.protevus.boot.autoconfigure.cache.TieredCacheAutoConfiguration;
import dev.protevus.boot.autoconfigure.queue.QueueAutoConfiguration;
import dev.protevus.boot.cache.CacheTier;
import dev.protevus.boot.cache.TieredCache;
import dev.protevus.boot.cache.TieredCacheManager;
import dev.protevus.boot.queue.JobQueue;
import dev.protevus.boot.queue.QueueStats;
import dev.protevus.boot.test.TestRedisSentinel;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.cache.CacheAutoConfiguration;
import org.springframework.boot.autoconfigure.data.redis.RedisAutoConfiguration;
import org.springframework.boot.autoconfigure.data.redis.RedisReactiveAutoConfiguration;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Redis behind Sentinel, configured by nothing but Boot's
 * {@code spring.data.redis.sentinel.*}: the master is killed in the middle of a load, the
 * sentinel promotes the replica, and the cache fails open during the switch and uses
 * Redis again after it, invalidation included, while the queue loses no job.
 */
class SentinelFailoverTests {

	private final String queue = "failover-" + Long.toHexString(ThreadLocalRandom.current().nextLong());

	private final ApplicationContextRunner instance = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ProtevusAutoConfiguration.class, TieredCacheAutoConfiguration.class,
				CacheAutoConfiguration.class, QueueAutoConfiguration.class, JacksonAutoConfiguration.class,
				RedisAutoConfiguration.class, RedisReactiveAutoConfiguration.class))
		.withUserConfiguration(CachingConfiguration.class)
		.withPropertyValues(TestRedisSentinel.get().propertyValues())
		.withPropertyValues("spring.application.name=failover", "protevus.cache.caches.books.tiers=memory,redis",
				"protevus.cache.caches.shelves.tiers=redis",
				"protevus.queue.serialization.allowed-packages=dev.protevus.boot.autoconfigure.redis");

	@Test
	void theCacheFailsOpenDuringTheSwitchAndUsesRedisAgainAfterIt() {
		TestRedisSentinel sentinel = TestRedisSentinel.get();
		this.instance.run((context) -> this.instance.run((other) -> {
			TieredCache books = context.getBean(TieredCacheManager.class).getCache("books");
			await().untilAsserted(() -> {
				books.put("before", "v");
				assertThat(books.statistics(CacheTier.REDIS).puts()).isPositive();
			});
			List<Throwable> failures = new CopyOnWriteArrayList<>();
			AtomicLong slowest = new AtomicLong();
			AtomicInteger served = new AtomicInteger();
			// Reads of keys no tier has, one every 10 ms, as a blocking caller would make
			// them: each goes to Redis, misses and loads.
			Disposable load = Flux.interval(Duration.ofMillis(10), Schedulers.boundedElastic())
				.onBackpressureDrop()
				.concatMap((n) -> Mono
					.fromFuture(() -> books.retrieve("load-" + n, () -> Mono.just((Object) n).toFuture()))
					.elapsed()
					.doOnNext((timed) -> {
						slowest.accumulateAndGet(timed.getT1(), Math::max);
						if (n.equals(timed.getT2())) {
							served.incrementAndGet();
						}
					}), 1)
				.subscribe(null, failures::add);
			int killed = -1;
			try {
				await().untilAsserted(() -> assertThat(served).hasValueGreaterThan(20));
				long errorsBefore = books.statistics(CacheTier.REDIS).errors();
				killed = sentinel.killMaster();
				sentinel.awaitFailover(killed);
				assertThat(books.statistics(CacheTier.REDIS).errors()).as("Redis failed during the switch")
					.isGreaterThan(errorsBefore);
				// A cache with the redis tier alone reads what it wrote only through
				// Redis.
				TieredCache shelves = context.getBean(TieredCacheManager.class).getCache("shelves");
				await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
					shelves.put("after", "w");
					assertThat(shelves.get("after")).isNotNull().extracting((found) -> found.get()).isEqualTo("w");
				});
				assertThat(shelves.statistics(CacheTier.REDIS).hits()).as("read from the new master").isPositive();
				// Invalidation subscribed again, on the new master: a change on one
				// instance
				// leaves the other's memory tier.
				TieredCache theirs = other.getBean(TieredCacheManager.class).getCache("books");
				books.put("shared", "v1");
				await().untilAsserted(() -> assertThat(theirs.get("shared")).isNotNull()
					.extracting((found) -> found.get())
					.isEqualTo("v1"));
				books.put("shared", "v2");
				await().atMost(Duration.ofSeconds(5))
					.untilAsserted(() -> assertThat(theirs.get("shared")).isNotNull()
						.extracting((found) -> found.get())
						.isEqualTo("v2"));
			}
			finally {
				load.dispose();
				if (killed != -1) {
					sentinel.restartKilled();
				}
			}
			assertThat(failures).isEmpty();
			// Every read was served, by a load when Redis could not answer, within the
			// tier's bound plus what a loaded machine adds.
			assertThat(Duration.ofMillis(slowest.get())).isLessThan(Duration.ofSeconds(2));
		}));
	}

	@Test
	void theQueueLosesNoJobWhenTheMasterIsKilledMidLoad() {
		TestRedisSentinel sentinel = TestRedisSentinel.get();
		int jobs = 300;
		Map<Integer, AtomicInteger> runs = new ConcurrentHashMap<>();
		// A job in flight when the master dies cannot be acknowledged; it stays pending
		// and runs again once its visibility timeout passes.
		this.instance.withPropertyValues("protevus.queue.queues." + this.queue + ".visibility-timeout=2s")
			.run((context) -> {
				JobQueue queue = context.getBean(JobQueue.class);
				queue.listen(this.queue, Work.class, (work, job) -> Mono.fromRunnable(
						() -> runs.computeIfAbsent(work.number(), (number) -> new AtomicInteger()).incrementAndGet()));
				// A publish that fails while the master is gone is retried, as a caller
				// would;
				// one that timed out after Redis took it may run twice, which
				// at-least-once
				// allows.
				Disposable publishing = Flux.range(0, jobs)
					.delayElements(Duration.ofMillis(5))
					.concatMap((number) -> queue.publish(this.queue, new Work(number))
						.retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(50))
							.maxBackoff(Duration.ofMillis(500))))
					.subscribe();
				int killed = -1;
				try {
					await().untilAsserted(() -> assertThat(runs).hasSizeGreaterThan(jobs / 4));
					killed = sentinel.killMaster();
					sentinel.awaitFailover(killed);
					await().atMost(Duration.ofSeconds(60))
						.untilAsserted(() -> assertThat(runs).as("every job ran").hasSize(jobs));
					await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
						QueueStats stats = queue.stats(this.queue).block(Duration.ofSeconds(5));
						assertThat(stats.depth()).isZero();
						assertThat(stats.pending()).isZero();
					});
				}
				finally {
					publishing.dispose();
					if (killed != -1) {
						sentinel.restartKilled();
					}
				}
				assertThat(runs.values()).allSatisfy((count) -> assertThat(count).hasPositiveValue());
			});
	}

	record Work(int number) {
	}

	@Configuration(proxyBeanMethods = false)
	@EnableCaching
	static class CachingConfiguration {

	}

}
