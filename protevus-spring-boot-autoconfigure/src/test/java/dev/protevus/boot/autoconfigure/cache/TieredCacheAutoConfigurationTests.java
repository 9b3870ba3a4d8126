package dev.protevus.boot.autoconfigure.cache;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.github.benmanes.caffeine.cache.Caffeine;
import dev.protevus.boot.actuate.cache.CacheTiersEndpoint;
import dev.protevus.boot.actuate.cache.TieredCacheMeterBinder;
import dev.protevus.boot.actuate.cache.TieredCacheMeterBinderProvider;
import dev.protevus.boot.autoconfigure.BootAutoConfigurations;
import dev.protevus.boot.autoconfigure.ProtevusAutoConfiguration;
import dev.protevus.boot.autoconfigure.StartupFailures;
import dev.protevus.boot.cache.CacheInvalidation;
import dev.protevus.boot.cache.CacheLoadLock;
import dev.protevus.boot.cache.CacheTier;
import dev.protevus.boot.cache.CacheValueSerializer;
import dev.protevus.boot.cache.CoalescingCacheInterceptor;
import dev.protevus.boot.cache.MutableClock;
import dev.protevus.boot.cache.RedisCacheLoadLock;
import dev.protevus.boot.cache.RedisTierSupport;
import dev.protevus.boot.cache.TieredCache;
import dev.protevus.boot.cache.TieredCacheManager;
import dev.protevus.boot.cache.TieredCacheSettings;
import dev.protevus.boot.resilience.LockFreeCircuitBreakers;
import dev.protevus.boot.test.TestRedis;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.interceptor.BeanFactoryCacheOperationSourceAdvisor;
import org.springframework.cache.interceptor.CacheInterceptor;
import org.springframework.cache.concurrent.ConcurrentMapCacheManager;
import org.springframework.cache.support.NoOpCacheManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.lang.Nullable;
import org.springframework.util.FileSystemUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class TieredCacheAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ProtevusAutoConfiguration.class, TieredCacheAutoConfiguration.class))
		.withConfiguration(BootAutoConfigurations.cache())
		.withConfiguration(BootAutoConfigurations.jackson())
		.withUserConfiguration(CachingConfiguration.class);

	private final ApplicationContextRunner withRedis = this.contextRunner
		.withConfiguration(BootAutoConfigurations.redis());

	private final ApplicationContextRunner withMetrics = this.contextRunner
		.withConfiguration(BootAutoConfigurations.metrics())
		.withConfiguration(BootAutoConfigurations.simpleMetricsExport())
		.withConfiguration(BootAutoConfigurations.compositeMeterRegistry())
		.withConfiguration(BootAutoConfigurations.cacheMetrics())
		.withConfiguration(AutoConfigurations.of(TieredCacheMetricsAutoConfiguration.class));

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
	void coalescedLoadsAreOnByDefaultAndSetPerCache() {
		this.contextRunner
			.withPropertyValues("protevus.cache.coalesce-loads=false",
					"protevus.cache.caches.books.coalesce-loads=true")
			.run((context) -> {
				assertThat(cache(context, "books").getSettings().coalesceLoads()).isTrue();
				assertThat(cache(context, "other").getSettings().coalesceLoads()).isFalse();
			});
		this.contextRunner.run((context) -> assertThat(cache(context, "other").getSettings().coalesceLoads()).isTrue());
	}

	@Test
	void springsCacheInterceptorIsReplacedByACoalescingOneThatTheAdvisorUses() {
		this.contextRunner.run((context) -> {
			CacheInterceptor interceptor = context.getBean(CacheInterceptor.class);
			assertThat(interceptor).isInstanceOf(CoalescingCacheInterceptor.class);
			assertThat(context.getBean(BeanFactoryCacheOperationSourceAdvisor.class).getAdvice()).isSameAs(interceptor);
		});
	}

	@Test
	void springsCacheInterceptorStaysWhenTheApplicationHasItsOwnCacheManager() {
		this.contextRunner.withUserConfiguration(OwnCacheManagerConfiguration.class)
			.run((context) -> assertThat(context.getBean(CacheInterceptor.class))
				.isExactlyInstanceOf(CacheInterceptor.class));
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
	void storedValuesKeepJavaTimeTypesWithTheApplicationsObjectMapper() {
		// Boot 3.5's ObjectMapper here; on Boot 4, which configures Jackson 3, Protevus's
		// own Jackson 2 mapper.
		this.contextRunner
			.withPropertyValues("protevus.cache.serialization.allowed-packages=" + getClass().getPackageName())
			.run((context) -> assertRoundTrip(context.getBean(CacheValueSerializer.class)));
	}

	@Test
	void storedValuesKeepJavaTimeTypesWithoutAnApplicationObjectMapper() {
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(ProtevusAutoConfiguration.class, TieredCacheAutoConfiguration.class))
			.withConfiguration(BootAutoConfigurations.cache())
			.withUserConfiguration(CachingConfiguration.class)
			.withPropertyValues("protevus.cache.serialization.allowed-packages=" + getClass().getPackageName())
			.run((context) -> assertRoundTrip(context.getBean(CacheValueSerializer.class)));
	}

	private static void assertRoundTrip(CacheValueSerializer serializer) {
		Dated value = new Dated("launch", Instant.parse("2026-12-02T10:15:30Z"), LocalDate.of(2026, 12, 2));
		assertThat(serializer.deserialize(serializer.serialize(value))).isEqualTo(value);
	}

	record Dated(String name, Instant at, LocalDate on) {
	}

	@Test
	void backsOffWithoutEnableCaching() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(TieredCacheAutoConfiguration.class))
			.withConfiguration(BootAutoConfigurations.cache())
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
		this.withMetrics.withPropertyValues("protevus.cache.caches.books.ttl=5m").run((context) -> {
			assertThat(context).hasSingleBean(TieredCacheMeterBinder.class);
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
			assertThat(registry.get("protevus.cache.errors").tags("cache", "books").functionCounter().count()).isZero();
			assertThat(registry.get("protevus.cache.loads").tags("cache", "books").functionTimer().count()).isZero();
			assertThat(registry.find("protevus.cache.gets").tags("cache", "books").functionCounters())
				.as("untagged, every read of every tier")
				.hasSize(2)
				.allSatisfy((counter) -> assertThat(counter.getId().getDescription())
					.startsWith("Reads of one tier of a cache, by result"))
				.extracting(FunctionCounter::count)
				.containsOnly(1.0);
		});
	}

	@Test
	void aPlainCacheableInvocationIsALoadInTheMeterAndTheEndpoint() {
		this.withMetrics.withConfiguration(AutoConfigurations.of(CacheTiersEndpointAutoConfiguration.class))
			.withPropertyValues("management.endpoints.web.exposure.include=cachetiers")
			.withUserConfiguration(CountedServiceConfiguration.class)
			.run((context) -> {
				CountedService service = context.getBean(CountedService.class);
				assertThat(service.find(1).block(Duration.ofSeconds(5))).isEqualTo("value 1");
				assertThat(service.find(1).block(Duration.ofSeconds(5))).isEqualTo("value 1");
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertThat(registry.get("protevus.cache.loads").tags("cache", "counted").functionTimer().count())
					.isEqualTo(1);
				assertThat(context.getBean(CacheTiersEndpoint.class).cache("counted").loads()).isOne();
			});
	}

	@Test
	void springBootsCacheMetersCountEveryTieredCache() {
		this.withMetrics.withPropertyValues("protevus.cache.caches.books.ttl=5m").run((context) -> {
			assertThat(context).hasSingleBean(TieredCacheMeterBinderProvider.class);
			TieredCache books = cache(context, "books");
			assertThat(books.get("1")).isNull();
			books.put("1", "one");
			assertThat(books.get("1").get()).isEqualTo("one");
			books.evict("1");
			TieredCache later = cache(context, "later");
			later.put("x", "y");
			later.get("x");
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.get("cache.gets")
				.tags("cache", "books", "cache.manager", "cacheManager", "result", "miss")
				.functionCounter()
				.count()).isEqualTo(1);
			assertThat(registry.get("cache.gets").tags("cache", "books", "result", "hit").functionCounter().count())
				.isEqualTo(1);
			assertThat(registry.get("cache.puts").tags("cache", "books").functionCounter().count()).isEqualTo(1);
			assertThat(registry.get("cache.evictions").tags("cache", "books").functionCounter().count()).isEqualTo(1);
			assertThat(registry.get("cache.size").tags("cache", "books").gauge().value()).isZero();
			assertThat(registry.get("cache.gets").tags("cache", "later", "result", "hit").functionCounter().count())
				.isEqualTo(1);
			assertThat(registry.get("cache.puts").tags("cache", "later").functionCounter().count()).isEqualTo(1);
		});
	}

	@Test
	void metricsBackOffToTheApplicationsBinders() {
		this.withMetrics.withUserConfiguration(OwnMeterBindersConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(TieredCacheMeterBinder.class)
				.hasSingleBean(TieredCacheMeterBinderProvider.class);
			assertThat(context.getBean(TieredCacheMeterBinder.class))
				.isSameAs(context.getBean(OwnMeterBindersConfiguration.class).binder);
			assertThat(context.getBean(TieredCacheMeterBinderProvider.class))
				.isSameAs(context.getBean(OwnMeterBindersConfiguration.class).provider);
		});
	}

	@Test
	void backsOffToTheApplicationsCacheValueSerializer() {
		this.contextRunner.withUserConfiguration(OwnSerializerConfiguration.class)
			.withPropertyValues("protevus.cache.tiers=memory,file", "protevus.cache.file.directory=" + this.directory)
			.run((context) -> {
				assertThat(context).hasSingleBean(CacheValueSerializer.class);
				StringSerializer own = context.getBean(OwnSerializerConfiguration.class).serializer;
				assertThat(context.getBean(CacheValueSerializer.class)).isSameAs(own);
				cache(context, "books").store("1", "one").block(Duration.ofSeconds(10));
				assertThat(own.written).hasValue(1);
			});
	}

	@Test
	void backsOffToTheApplicationsRedisTierSupport() {
		this.withRedis.withPropertyValues(TestRedis.get().propertyValues())
			.withUserConfiguration(OwnRedisTierSupportConfiguration.class)
			.run((context) -> {
				assertThat(context).hasSingleBean(RedisTierSupport.class);
				RedisTierSupport own = context.getBean(RedisTierSupport.class);
				assertThat(own.keyPrefix()).isEqualTo("own:");
				assertThat(context.getBean(TieredCacheManager.class).getRedisTierSupport()).isSameAs(own);
			});
	}

	@Test
	void backsOffToTheApplicationsCacheInvalidation() {
		this.withRedis.withPropertyValues(TestRedis.get().propertyValues())
			.withUserConfiguration(OwnInvalidationConfiguration.class)
			.run((context) -> {
				assertThat(context).hasSingleBean(CacheInvalidation.class);
				RecordingInvalidation own = context.getBean(OwnInvalidationConfiguration.class).invalidation;
				assertThat(context.getBean(CacheInvalidation.class)).isSameAs(own);
				cache(context, "books").put("1", "one");
				assertThat(own.published).containsExactly("books::1");
			});
	}

	@Test
	void backsOffToTheApplicationsCacheLoadLock() {
		this.withRedis.withPropertyValues(TestRedis.get().propertyValues())
			.withPropertyValues("protevus.cache.caches.books.lock=cluster")
			.withUserConfiguration(OwnLoadLockConfiguration.class)
			.run((context) -> {
				assertThat(context).hasSingleBean(CacheLoadLock.class);
				RecordingLoadLock own = context.getBean(OwnLoadLockConfiguration.class).lock;
				assertThat(context.getBean(CacheLoadLock.class)).isSameAs(own);
				String key = "lock-" + System.nanoTime();
				assertThat(cache(context, "books").retrieve(key, () -> CompletableFuture.completedFuture("loaded")))
					.succeedsWithin(Duration.ofSeconds(10))
					.isEqualTo("loaded");
				assertThat(own.locked).containsExactly("books::" + key);
				await().untilAsserted(() -> assertThat(own.unlocked).containsExactly("books::" + key));
			});
	}

	@Test
	void providesARedisLoadLockWhenRedisIsConfigured() {
		this.withRedis.withPropertyValues(TestRedis.get().propertyValues())
			.run((context) -> assertThat(context).hasSingleBean(RedisCacheLoadLock.class));
	}

	@Test
	void endpointBacksOffToTheApplicationsEndpoint() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(CacheTiersEndpointAutoConfiguration.class))
			.withPropertyValues("management.endpoints.web.exposure.include=cachetiers")
			.withUserConfiguration(OwnEndpointConfiguration.class)
			.run((context) -> {
				assertThat(context).hasSingleBean(CacheTiersEndpoint.class);
				assertThat(context.getBean(CacheTiersEndpoint.class))
					.isSameAs(context.getBean(OwnEndpointConfiguration.class).endpoint);
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
	void maxValueSizeThatIsNotPositiveFails() {
		assertFailure(
				this.withRedis.withPropertyValues(TestRedis.get().propertyValues())
					.withPropertyValues("protevus.cache.redis.max-value-size=0B"),
				"protevus.cache.redis.max-value-size", "positive size");
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
	void fileDirectoryWritableByOthersFailsNamingThePropertyTheOwnerAndTheMode() throws Exception {
		Path shared = Files.createDirectory(this.directory.resolve("shared"));
		Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
		String owner = Files.getOwner(shared).getName();
		this.contextRunner
			.withPropertyValues("protevus.cache.tiers=memory,file", "protevus.cache.file.directory=" + shared)
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("protevus.cache.file.directory", shared.toString(),
						"writable by group or others", "owner '" + owner + "'", "rwxrwxrwx");
				assertThat(analysis.getAction()).contains("protevus.cache.file.directory", "chmod 700", owner);
			});
	}

	@Test
	void fileDirectoryThatIsASymbolicLinkFailsNamingTheProperty() throws Exception {
		Path target = Files.createDirectory(this.directory.resolve("target"));
		Path link = Files.createSymbolicLink(this.directory.resolve("link"), target);
		this.contextRunner
			.withPropertyValues("protevus.cache.tiers=memory,file", "protevus.cache.file.directory=" + link)
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("protevus.cache.file.directory", "symbolic link");
			});
	}

	@Test
	void defaultFileDirectoryIsPrivateToTheUserAndTheApplication() throws Exception {
		String application = "private-dir-" + System.nanoTime();
		Path expected = Path.of(System.getProperty("java.io.tmpdir"),
				"protevus-cache-" + System.getProperty("user.name") + "-" + application);
		try {
			this.contextRunner
				.withPropertyValues("protevus.cache.tiers=memory,file", "spring.application.name=" + application)
				.run((context) -> {
					assertThat(context).hasNotFailed();
					assertThat(expected).isDirectory();
					assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(expected)))
						.isEqualTo("rwx------");
				});
		}
		finally {
			FileSystemUtils.deleteRecursively(expected);
		}
	}

	@Test
	void unknownTierFailsNamingThePropertyAsWrittenTheValueAndTheValidTiers() {
		this.contextRunner.withPropertyValues("protevus.cache.caches.teamStats.tiers=memory,disk").run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("'protevus.cache.caches.teamStats.tiers'", "'disk'");
			assertThat(analysis.getAction()).isEqualTo(
					"Set 'protevus.cache.caches.teamStats.tiers' to one or more of memory, redis, memcached, file.");
		});
		this.contextRunner.withPropertyValues("protevus.cache.tiers=Memory,DISK").run((context) -> {
			FailureAnalysis analysis = analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("'protevus.cache.tiers'", "'DISK'");
		});
	}

	@Test
	void tierNamesAreReadInAnyCase() {
		this.contextRunner.withPropertyValues("protevus.cache.caches.books.tiers=MEMORY")
			.run((context) -> assertThat(cache(context, "books").getSettings().tiers())
				.containsExactly(CacheTier.MEMORY));
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
	static class CountedServiceConfiguration {

		@Bean
		CountedService countedService() {
			return new CountedService();
		}

	}

	static class CountedService {

		@Cacheable("counted")
		public Mono<String> find(long id) {
			return Mono.just("value " + id);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnCacheManagerConfiguration {

		@Bean
		CacheManager cacheManager() {
			return new ConcurrentMapCacheManager();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnSerializerConfiguration {

		final StringSerializer serializer = new StringSerializer();

		@Bean
		StringSerializer ownSerializer() {
			return this.serializer;
		}

	}

	static class StringSerializer implements CacheValueSerializer {

		final AtomicInteger written = new AtomicInteger();

		@Override
		public byte[] serialize(Object value) {
			this.written.incrementAndGet();
			return value.toString().getBytes(StandardCharsets.UTF_8);
		}

		@Override
		public Object deserialize(byte[] bytes) {
			return new String(bytes, StandardCharsets.UTF_8);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnRedisTierSupportConfiguration {

		@Bean
		RedisTierSupport ownRedisTierSupport(ReactiveRedisConnectionFactory connectionFactory) {
			return new RedisTierSupport(connectionFactory, "own:", Duration.ofSeconds(1), Duration.ofSeconds(1),
					CircuitBreaker.of("own", LockFreeCircuitBreakers.lockFree(CircuitBreakerConfig.ofDefaults())));
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnInvalidationConfiguration {

		final RecordingInvalidation invalidation = new RecordingInvalidation();

		@Bean
		RecordingInvalidation ownInvalidation() {
			return this.invalidation;
		}

	}

	static class RecordingInvalidation implements CacheInvalidation {

		final List<String> published = new CopyOnWriteArrayList<>();

		@Override
		public void publish(String cacheName, @Nullable String key) {
			this.published.add(cacheName + "::" + key);
		}

		@Override
		public Disposable subscribe(Listener listener) {
			return () -> {
			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnLoadLockConfiguration {

		final RecordingLoadLock lock = new RecordingLoadLock();

		@Bean
		RecordingLoadLock ownLoadLock() {
			return this.lock;
		}

	}

	static class RecordingLoadLock implements CacheLoadLock {

		final List<String> locked = new CopyOnWriteArrayList<>();

		final List<String> unlocked = new CopyOnWriteArrayList<>();

		@Override
		public Mono<String> tryLock(String cacheName, String key) {
			this.locked.add(cacheName + "::" + key);
			return Mono.just("token");
		}

		@Override
		public Mono<Void> unlock(String cacheName, String key, String token) {
			return Mono.fromRunnable(() -> this.unlocked.add(cacheName + "::" + key));
		}

		@Override
		public Duration timeout() {
			return Duration.ofSeconds(1);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnEndpointConfiguration {

		CacheTiersEndpoint endpoint;

		@Bean
		CacheTiersEndpoint ownCacheTiersEndpoint(TieredCacheManager cacheManager) {
			this.endpoint = new CacheTiersEndpoint(cacheManager);
			return this.endpoint;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnMeterBindersConfiguration {

		final TieredCacheMeterBinderProvider provider = new TieredCacheMeterBinderProvider();

		TieredCacheMeterBinder binder;

		@Bean
		TieredCacheMeterBinder ownTieredCacheMeterBinder(TieredCacheManager cacheManager) {
			this.binder = new TieredCacheMeterBinder(cacheManager);
			return this.binder;
		}

		@Bean
		TieredCacheMeterBinderProvider ownTieredCacheMeterBinderProvider() {
			return this.provider;
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
