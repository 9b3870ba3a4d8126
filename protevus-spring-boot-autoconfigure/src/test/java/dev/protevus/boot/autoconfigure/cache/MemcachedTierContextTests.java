package dev.protevus.boot.autoconfigure.cache;

import java.time.Duration;
import java.util.UUID;

import dev.protevus.boot.actuate.cache.CacheTiersEndpoint;
import dev.protevus.boot.actuate.cache.CacheTiersEndpoint.CacheDescriptor;
import dev.protevus.boot.autoconfigure.ProtevusAutoConfiguration;
import dev.protevus.boot.cache.CacheTier;
import dev.protevus.boot.cache.TieredCache;
import dev.protevus.boot.cache.TieredCacheManager;
import dev.protevus.boot.test.TestMemcached;
import dev.protevus.boot.test.TestRedis;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.cache.CacheAutoConfiguration;
import org.springframework.boot.autoconfigure.data.redis.RedisAutoConfiguration;
import org.springframework.boot.autoconfigure.data.redis.RedisReactiveAutoConfiguration;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.Cache.ValueWrapper;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Configuration;
import org.springframework.lang.Nullable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The auto-configured memcached tier against the real memcached of
 * protevus-spring-boot-test: statistics, meters, other instances, restarts.
 */
@Tag("memcached")
class MemcachedTierContextTests {

	private static final Duration BOUND = Duration.ofSeconds(10);

	private final String prefix = "ctx-" + UUID.randomUUID() + ":";

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ProtevusAutoConfiguration.class, TieredCacheAutoConfiguration.class,
				CacheAutoConfiguration.class, JacksonAutoConfiguration.class))
		.withUserConfiguration(CachingConfiguration.class)
		.withPropertyValues(TestMemcached.get().propertyValues())
		.withPropertyValues("protevus.cache.key-prefix=" + this.prefix);

	@Test
	void endpointAndMetersShowTheMemcachedTier() {
		this.contextRunner
			.withConfiguration(AutoConfigurations.of(CacheTiersEndpointAutoConfiguration.class,
					MetricsAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
					CompositeMeterRegistryAutoConfiguration.class, TieredCacheMetricsAutoConfiguration.class))
			.withPropertyValues("management.endpoints.web.exposure.include=cachetiers",
					"protevus.cache.caches.books.tiers=memcached")
			.run((context) -> {
				TieredCache books = cache(context, "books");
				books.store("1", "one").block(BOUND);
				assertThat(books.retrieve("1")).succeedsWithin(BOUND).isNotNull();
				assertThat(books.retrieve("2")).succeedsWithin(BOUND).isNull();
				CacheDescriptor descriptor = context.getBean(CacheTiersEndpoint.class).cache("books");
				assertThat(descriptor.tiers()).containsExactly("memcached");
				assertThat(descriptor.memcachedCircuitBreaker()).isEqualTo("CLOSED");
				assertThat(descriptor.redisCircuitBreaker()).isNull();
				CacheTiersEndpoint.TierDescriptor memcached = descriptor.statistics().get("memcached");
				assertThat(memcached.hits()).isOne();
				assertThat(memcached.misses()).isOne();
				assertThat(memcached.puts()).isOne();
				assertThat(memcached.size()).isNull();
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertThat(registry.get("protevus.cache.gets")
					.tags("cache", "books", "tier", "memcached", "result", "hit")
					.functionCounter()
					.count()).isOne();
				assertThat(registry.get("protevus.cache.errors")
					.tags("cache", "books", "tier", "memcached")
					.functionCounter()
					.count()).isZero();
				context.getBean(CacheTiersEndpoint.class).clear("books");
				assertThat(books.retrieve("1")).succeedsWithin(BOUND).isNull();
			});
	}

	@Test
	void withoutRedisAnotherInstanceServesItsMemoryTierUntilTheMemoryTtl() {
		ApplicationContextRunner runner = this.contextRunner.withPropertyValues("protevus.cache.memory.ttl=1s");
		runner.run((first) -> runner.run((second) -> {
			TieredCache mine = cache(first, "books");
			TieredCache theirs = cache(second, "books");
			mine.store("1", "old").block(BOUND);
			// The other instance's client may still be connecting: until then its reads
			// fail open as misses.
			await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(value(theirs, "1")).isEqualTo("old"));
			mine.store("1", "new").block(BOUND);
			// Memcached has no pub/sub: the other instance's memory tier keeps the old
			// value until the memory tier's ttl, then reads the new one from memcached.
			assertThat(theirs.get("1").get()).isEqualTo("old");
			await().atMost(Duration.ofSeconds(3)).untilAsserted(() -> assertThat(value(theirs, "1")).isEqualTo("new"));
			mine.clearAll().block(BOUND);
			await().atMost(Duration.ofSeconds(3)).untilAsserted(() -> assertThat(value(theirs, "1")).isNull());
		}));
	}

	@Test
	void withRedisAlsoConfiguredChangesReachTheOtherInstancesMemoryTier() {
		ApplicationContextRunner withRedis = this.contextRunner
			.withConfiguration(
					AutoConfigurations.of(RedisAutoConfiguration.class, RedisReactiveAutoConfiguration.class))
			.withPropertyValues(TestRedis.get().propertyValues())
			.withPropertyValues("protevus.cache.tiers=memory,memcached",
					"protevus.cache.redis.invalidation.channel=" + this.prefix + "invalidation");
		withRedis.run((first) -> withRedis.run((second) -> {
			TieredCache mine = cache(first, "books");
			TieredCache theirs = cache(second, "books");
			assertThat(mine.getSettings().tiers()).containsExactly(CacheTier.MEMORY, CacheTier.MEMCACHED);
			mine.store("1", "old").block(BOUND);
			// The other instance's client may still be connecting: until then its reads
			// fail open as misses.
			await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(value(theirs, "1")).isEqualTo("old"));
			assertThat(theirs.get("1").get()).isEqualTo("old");
			mine.store("1", "new").block(BOUND);
			await().atMost(Duration.ofSeconds(1)).untilAsserted(() -> assertThat(value(theirs, "1")).isEqualTo("new"));
		}));
	}

	@Test
	void aStoppedMemcachedIsAMissAndIsUsedAgainSoonAfterItComesBack() {
		this.contextRunner.withPropertyValues("protevus.cache.caches.books.tiers=memcached").run((context) -> {
			TieredCache books = cache(context, "books");
			books.store("1", "one").block(BOUND);
			TestMemcached server = TestMemcached.get();
			server.stop();
			try {
				assertThat(books.retrieve("1")).succeedsWithin(Duration.ofSeconds(1)).isNull();
				assertThat(books.statistics(CacheTier.MEMCACHED).errors()).isPositive();
			}
			finally {
				server.start();
			}
			// Memcached keeps nothing across a restart; the client reconnects within a
			// second and the circuit breaker lets calls through again within two.
			await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
				books.store("2", "two").block(BOUND);
				assertThat(books.retrieve("2").join()).isNotNull();
			});
		});
	}

	/**
	 * What a reactive caller reads: memory first, then memcached.
	 */
	@Nullable
	private static Object value(TieredCache cache, String key) {
		ValueWrapper found = (ValueWrapper) cache.retrieve(key).join();
		return (found != null) ? found.get() : null;
	}

	private static TieredCache cache(AssertableApplicationContext context, String name) {
		return context.getBean(TieredCacheManager.class).getCache(name);
	}

	@Configuration(proxyBeanMethods = false)
	@EnableCaching
	static class CachingConfiguration {

	}

}
