package dev.protevus.boot.autoconfigure.cache;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import dev.protevus.boot.RedisTopology;
import dev.protevus.boot.autoconfigure.ProtevusAutoConfiguration;
import dev.protevus.boot.cache.TieredCache;
import dev.protevus.boot.cache.TieredCacheManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;

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
 * Several application contexts, as several instances of one service, sharing the embedded
 * standalone Redis; {@link TieredCacheClusterContextsTests} runs them again on the
 * cluster.
 */
class TieredCacheContextsTests {

	private final ApplicationContextRunner instance = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ProtevusAutoConfiguration.class, TieredCacheAutoConfiguration.class,
				CacheAutoConfiguration.class, JacksonAutoConfiguration.class, RedisAutoConfiguration.class,
				RedisReactiveAutoConfiguration.class))
		.withUserConfiguration(CachingConfiguration.class)
		.withPropertyValues(RedisTopology.of(getClass()).propertyValues());

	@TempDir
	Path directory;

	@Test
	void aChangeOnOneInstanceLeavesEveryOtherMemoryTierWithinOneSecond() {
		ApplicationContextRunner service = this.instance.withPropertyValues("spring.application.name=coherence");
		service.run((first) -> service.run((second) -> {
			TieredCache mine = books(first);
			TieredCache theirs = books(second);
			// The first write may come before the first connection, which on a loaded
			// machine (and a cluster's topology discovery) can outlast the 250 ms bound
			// and drop it, so it is repeated until the other instance reads it.
			await().untilAsserted(() -> {
				mine.put("1", "v1");
				assertThat(value(theirs, "1")).isEqualTo("v1");
			});
			mine.put("1", "v2");
			await().atMost(Duration.ofSeconds(1)).untilAsserted(() -> assertThat(value(theirs, "1")).isEqualTo("v2"));
			mine.evict("1");
			await().atMost(Duration.ofSeconds(1)).untilAsserted(() -> assertThat(theirs.get("1")).isNull());
		}));
	}

	@Test
	void instancesWithDifferentKeyPrefixesNeverSeeEachOthersKeys() {
		this.instance.withPropertyValues("protevus.cache.key-prefix=shop-a:")
			.run((first) -> this.instance.withPropertyValues("protevus.cache.key-prefix=shop-b:").run((second) -> {
				books(first).put("1", "a");
				await().untilAsserted(() -> assertThat(value(books(first), "1")).isEqualTo("a"));
				assertThat(books(second).retrieve("1").join()).isNull();
				books(second).put("1", "b");
				await().untilAsserted(() -> assertThat(value(books(second), "1")).isEqualTo("b"));
				assertThat(value(books(first), "1")).as("no invalidation across prefixes").isEqualTo("a");
				books(second).clearAll().block(Duration.ofSeconds(10));
				books(first).evict("nothing");
				assertThat(books(first).get("1")).isNotNull();
			}));
	}

	@Test
	void clusterLockLetsOneInstanceLoad() {
		ApplicationContextRunner service = this.instance.withPropertyValues("spring.application.name=locking",
				"protevus.cache.caches.books.lock=cluster", "protevus.cache.caches.books.tiers=memory,redis");
		service.run((first) -> service.run((second) -> {
			// Both instances talk to Redis first: a lock attempt that comes before the
			// first connection (slower on a cluster) times out and fails open, which is
			// the degraded mode, not what this test is about.
			await().untilAsserted(() -> {
				books(first).put("warm", "up");
				assertThat(value(books(second), "warm")).isEqualTo("up");
			});
			AtomicInteger loads = new AtomicInteger();
			List<CompletableFuture<Object>> results = List.of(books(first), books(second))
				.stream()
				.map((cache) -> cache.retrieve("report", () -> {
					loads.incrementAndGet();
					return Mono.delay(Duration.ofMillis(300)).thenReturn((Object) "expensive").toFuture();
				}))
				.toList();
			assertThat(CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)))
				.succeedsWithin(Duration.ofSeconds(10));
			assertThat(results).allSatisfy((result) -> assertThat(result.join()).isEqualTo("expensive"));
			assertThat(loads).hasValue(1);
		}));
	}

	@Test
	void fileTierSurvivesAContextRestart() {
		ApplicationContextRunner service = this.instance.withPropertyValues("spring.application.name=files",
				"protevus.cache.caches.reports.tiers=memory,file", "protevus.cache.file.directory=" + this.directory);
		service.run((context) -> {
			TieredCache reports = context.getBean(TieredCacheManager.class).getCache("reports");
			reports.put("q1", "quarterly numbers");
			await().untilAsserted(
					() -> assertThat(reports.statistics(dev.protevus.boot.cache.CacheTier.FILE).puts()).isOne());
		});
		service.run((context) -> assertThat(value(context.getBean(TieredCacheManager.class).getCache("reports"), "q1"))
			.isEqualTo("quarterly numbers"));
	}

	private static TieredCache books(AssertableApplicationContext context) {
		return context.getBean(TieredCacheManager.class).getCache("books");
	}

	private static Object value(TieredCache cache, String key) {
		Object found = cache.retrieve(key).join();
		return (found != null) ? ((org.springframework.cache.Cache.ValueWrapper) found).get() : null;
	}

	@Configuration(proxyBeanMethods = false)
	@EnableCaching
	static class CachingConfiguration {

	}

}
