package dev.protevus.boot.autoconfigure.cache;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import com.github.benmanes.caffeine.cache.Caffeine;
import dev.protevus.boot.autoconfigure.ProtevusAutoConfiguration;
import dev.protevus.boot.autoconfigure.StartupFailures;
import dev.protevus.boot.cache.CacheInvalidation;
import dev.protevus.boot.cache.CacheTier;
import dev.protevus.boot.cache.MutableClock;
import dev.protevus.boot.cache.RedisTierSupport;
import dev.protevus.boot.cache.TieredCache;
import dev.protevus.boot.cache.TieredCacheManager;
import dev.protevus.boot.cache.TieredCacheSettings;
import dev.protevus.boot.test.TestRedis;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.cache.CacheAutoConfiguration;
import org.springframework.boot.autoconfigure.data.redis.RedisAutoConfiguration;
import org.springframework.boot.autoconfigure.data.redis.RedisReactiveAutoConfiguration;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.concurrent.ConcurrentMapCacheManager;
import org.springframework.cache.support.NoOpCacheManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

class TieredCacheAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ProtevusAutoConfiguration.class, TieredCacheAutoConfiguration.class,
				CacheAutoConfiguration.class, JacksonAutoConfiguration.class))
		.withUserConfiguration(CachingConfiguration.class);

	private final ApplicationContextRunner withRedis = this.contextRunner
		.withConfiguration(AutoConfigurations.of(RedisAutoConfiguration.class, RedisReactiveAutoConfiguration.class));

	@TempDir
	Path directory;

	@Test
	void providesATieredCacheManagerWithMemoryOnlyWhenNoRedisIsConfigured() {
		this.withRedis.run((context) -> {
			assertThat(context).hasSingleBean(TieredCacheManager.class)
				.doesNotHaveBean(RedisTierSupport.class)
				.doesNotHaveBean(CacheInvalidation.class);
			assertThat(cache(context, "anything").getSettings().tiers()).containsExactly(CacheTier.MEMORY);
			assertThat(cache(context, "anything").getSettings().ttl()).isEqualTo(Duration.ofMinutes(10));
		});
	}

	@Test
	void addsTheRedisTierByDefaultWhenRedisIsConfigured() {
		this.withRedis.withPropertyValues(TestRedis.get().propertyValues()).run((context) -> {
			assertThat(context).hasSingleBean(RedisTierSupport.class).hasSingleBean(CacheInvalidation.class);
			assertThat(cache(context, "anything").getSettings().tiers()).containsExactly(CacheTier.MEMORY,
					CacheTier.REDIS);
		});
	}

	@Test
	void invalidationCanBeSwitchedOff() {
		this.withRedis.withPropertyValues(TestRedis.get().propertyValues())
			.withPropertyValues("protevus.cache.redis.invalidation.enabled=false")
			.run((context) -> assertThat(context).hasSingleBean(RedisTierSupport.class)
				.doesNotHaveBean(CacheInvalidation.class));
	}

	@Test
	void keyPrefixDefaultsToTheApplicationName() {
		this.withRedis.withPropertyValues(TestRedis.get().propertyValues())
			.withPropertyValues("spring.application.name=bookstore")
			.run((context) -> assertThat(context.getBean(RedisTierSupport.class).keyPrefix()).isEqualTo("bookstore:"));
		this.withRedis.withPropertyValues(TestRedis.get().propertyValues())
			.withPropertyValues("spring.application.name=bookstore", "protevus.cache.key-prefix=shop/")
			.run((context) -> assertThat(context.getBean(RedisTierSupport.class).keyPrefix()).isEqualTo("shop/"));
	}

	@Test
	void createsConfiguredCachesAtStartUpWithTheirOwnSettings() {
		this.withRedis.withPropertyValues(TestRedis.get().propertyValues())
			.withPropertyValues("protevus.cache.default-ttl=1h", "protevus.cache.memory.maximum-size=42",
					"protevus.cache.stale-while-revalidate=30s", "protevus.cache.caches.books.ttl=5m",
					"protevus.cache.caches.books.tiers=memory,redis",
					"protevus.cache.caches.books.memory.maximum-size=500", "protevus.cache.caches.books.memory.ttl=1m",
					"protevus.cache.caches.books.lock=cluster", "protevus.cache.caches.reports.ttl=1d",
					"protevus.cache.caches.reports.tiers=file", "protevus.cache.caches.reports.cache-null-values=false",
					"protevus.cache.file.directory=" + this.directory)
			.run((context) -> {
				TieredCacheManager manager = context.getBean(TieredCacheManager.class);
				assertThat(manager.getCacheNames()).containsExactlyInAnyOrder("books", "reports");
				assertThat(manager.getCache("books").getSettings()).isEqualTo(
						new TieredCacheSettings(Duration.ofMinutes(5), List.of(CacheTier.MEMORY, CacheTier.REDIS), 500,
								Duration.ofMinutes(1), true, Duration.ofSeconds(30), true));
				assertThat(manager.getCache("reports").getSettings()).isEqualTo(new TieredCacheSettings(
						Duration.ofDays(1), List.of(CacheTier.FILE), 42, null, false, Duration.ofSeconds(30), false));
				assertThat(manager.getCache("other").getSettings().ttl()).isEqualTo(Duration.ofHours(1));
			});
	}

	@Test
	void globalMemoryTtlIsCappedAtEachCachesTtl() {
		this.contextRunner
			.withPropertyValues("protevus.cache.memory.ttl=2m", "protevus.cache.caches.short.ttl=1m",
					"protevus.cache.caches.long.ttl=1h")
			.run((context) -> {
				assertThat(cache(context, "short").getSettings().memoryTtl()).isNull();
				assertThat(cache(context, "long").getSettings().memoryTtl()).isEqualTo(Duration.ofMinutes(2));
			});
	}

	@Test
	void backsOffWithoutEnableCaching() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(TieredCacheAutoConfiguration.class, CacheAutoConfiguration.class))
			.run((context) -> assertThat(context).doesNotHaveBean(CacheManager.class));
	}

	@Test
	void backsOffToTheApplicationsCacheManager() {
		this.contextRunner.withUserConfiguration(OwnCacheManagerConfiguration.class)
			.run((context) -> assertThat(context).hasSingleBean(CacheManager.class)
				.doesNotHaveBean(TieredCacheManager.class)
				.getBean(CacheManager.class)
				.isInstanceOf(ConcurrentMapCacheManager.class));
	}

	@Test
	void backsOffWhenDisabled() {
		this.contextRunner.withPropertyValues("protevus.cache.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(TieredCacheManager.class)
				.hasSingleBean(CacheManager.class));
	}

	@Test
	void backsOffWhenProtevusIsDisabled() {
		this.contextRunner.withPropertyValues("protevus.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(TieredCacheManager.class));
	}

	@Test
	void springCacheTypeNoneDisablesCaching() {
		this.contextRunner.withPropertyValues("spring.cache.type=none")
			.run((context) -> assertThat(context).doesNotHaveBean(TieredCacheManager.class)
				.getBean(CacheManager.class)
				.isInstanceOf(NoOpCacheManager.class));
	}

	@Test
	void backsOffWithoutCaffeine() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(Caffeine.class))
			.run((context) -> assertThat(context).doesNotHaveBean(TieredCacheManager.class));
	}

	@Test
	void customizersAdjustTheManagerInOrder() {
		this.contextRunner.withUserConfiguration(CustomizerConfiguration.class).run((context) -> {
			assertThat(cache(context, "computed").getSettings().ttl()).isEqualTo(Duration.ofSeconds(7));
			assertThat(context.getBean(TieredCacheManager.class).getCacheNames()).contains("computed");
		});
	}

	@Test
	void bindsMetersForEveryTierOfEveryCache() {
		this.contextRunner.withBean(SimpleMeterRegistry.class)
			.withConfiguration(AutoConfigurations.of(TieredCacheMetricsAutoConfiguration.class))
			.withPropertyValues("protevus.cache.caches.books.ttl=5m")
			.run((context) -> {
				TieredCache books = cache(context, "books");
				books.put("1", "one");
				books.get("1");
				books.get("2");
				cache(context, "later").put("x", "y");
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertThat(registry.get("protevus.cache.gets")
					.tags("cache", "books", "tier", "memory", "result", "hit")
					.functionCounter()
					.count()).isEqualTo(1);
				assertThat(registry.get("protevus.cache.gets")
					.tags("cache", "books", "tier", "memory", "result", "miss")
					.functionCounter()
					.count()).isEqualTo(1);
				assertThat(registry.get("protevus.cache.puts").tags("cache", "later").functionCounter().count())
					.isEqualTo(1);
				assertThat(registry.get("protevus.cache.errors").tags("cache", "books").functionCounter().count())
					.isZero();
				assertThat(registry.get("protevus.cache.loads").tags("cache", "books").functionTimer().count())
					.isZero();
			});
	}

	@Test
	void endpointIsAvailableOnlyWhenExposed() {
		ApplicationContextRunner runner = this.contextRunner
			.withConfiguration(AutoConfigurations.of(CacheTiersEndpointAutoConfiguration.class));
		runner.run((context) -> assertThat(context).doesNotHaveBean(CacheTiersEndpoint.class));
		runner.withPropertyValues("management.endpoints.web.exposure.include=cachetiers")
			.run((context) -> assertThat(context).hasSingleBean(CacheTiersEndpoint.class));
	}

	@Test
	void zeroTtlFailsNamingTheProperty() {
		assertFailure(this.contextRunner.withPropertyValues("protevus.cache.caches.books.ttl=0s"),
				"protevus.cache.caches.books.ttl", "positive duration");
	}

	@Test
	void negativeDefaultTtlFailsNamingTheProperty() {
		assertFailure(this.contextRunner.withPropertyValues("protevus.cache.default-ttl=-5m"),
				"protevus.cache.default-ttl", "positive duration");
	}

	@Test
	void memoryTtlLongerThanTheCacheTtlFails() {
		assertFailure(
				this.contextRunner.withPropertyValues("protevus.cache.caches.books.ttl=5m",
						"protevus.cache.caches.books.memory.ttl=10m"),
				"protevus.cache.caches.books.memory.ttl", "at most PT5M");
	}

	@Test
	void redisTierWithoutARedisConnectionFails() {
		assertFailure(this.contextRunner.withPropertyValues("protevus.cache.tiers=memory,redis"),
				"protevus.cache.tiers", "spring.data.redis.url");
	}

	@Test
	void clusterLockWithoutTheRedisTierFails() {
		assertFailure(this.contextRunner.withPropertyValues("protevus.cache.caches.books.lock=cluster"),
				"protevus.cache.caches.books.lock", "Add redis");
	}

	@Test
	void duplicateTierFails() {
		assertFailure(this.contextRunner.withPropertyValues("protevus.cache.caches.books.tiers=memory,memory"),
				"protevus.cache.caches.books.tiers", "at most once");
	}

	@Test
	void unwritableFileDirectoryFailsNamingTheProperty() throws Exception {
		Path notADirectory = Files.createFile(this.directory.resolve("plain-file"));
		assertFailure(
				this.contextRunner.withPropertyValues("protevus.cache.tiers=memory,file",
						"protevus.cache.file.directory=" + notADirectory.resolve("cache")),
				"protevus.cache.file.directory", "can write");
	}

	@Test
	void unknownTierFailsNamingThePropertyAndTheValidTiers() {
		this.contextRunner.withPropertyValues("protevus.cache.caches.books.tiers=memory,disk").run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("protevus.cache.caches.books.tiers");
			assertThat(analysis.getAction()).contains("MEMORY", "REDIS", "FILE");
		});
	}

	private static void assertFailure(ApplicationContextRunner runner, String property, String action) {
		runner.run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = analyze(context.getStartupFailure());
			assertThat(analysis).as("failure analysis of %s", context.getStartupFailure()).isNotNull();
			assertThat(analysis.getDescription()).contains(property);
			assertThat(analysis.getAction()).contains(property).contains(action);
		});
	}

	private static FailureAnalysis analyze(Throwable failure) {
		return StartupFailures.analyze(failure);
	}

	private static TieredCache cache(AssertableApplicationContext context, String name) {
		return context.getBean(TieredCacheManager.class).getCache(name);
	}

	@Configuration(proxyBeanMethods = false)
	@EnableCaching
	static class CachingConfiguration {

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnCacheManagerConfiguration {

		@Bean
		CacheManager cacheManager() {
			return new ConcurrentMapCacheManager();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CustomizerConfiguration {

		@Bean
		@org.springframework.core.annotation.Order(1)
		TieredCacheManagerCustomizer second() {
			return (builder) -> builder.cache("computed",
					TieredCacheSettings.of(builder.caches().get("computed").ttl().plusSeconds(2), CacheTier.MEMORY));
		}

		@Bean
		@org.springframework.core.annotation.Order(0)
		TieredCacheManagerCustomizer first() {
			return (builder) -> builder.clock(new MutableClock())
				.cache("computed", TieredCacheSettings.of(Duration.ofSeconds(5), CacheTier.MEMORY));
		}

	}

}
