package dev.protevus.boot.autoconfigure.cache;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import com.spotify.folsom.AsciiMemcacheClient;
import com.spotify.folsom.MemcacheClientBuilder;
import dev.protevus.boot.autoconfigure.BootAutoConfigurations;
import dev.protevus.boot.autoconfigure.ProtevusAutoConfiguration;
import dev.protevus.boot.autoconfigure.StartupFailures;
import dev.protevus.boot.cache.CacheTier;
import dev.protevus.boot.cache.MemcachedTierSupport;
import dev.protevus.boot.cache.TieredCache;
import dev.protevus.boot.cache.TieredCacheManager;
import dev.protevus.boot.resilience.LockFreeCircuitBreakers;
import dev.protevus.boot.test.TestRedis;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How the memcached tier is switched on, configured and checked at start-up. The servers
 * here never answer (a socket that accepts connections and reads nothing), so these tests
 * need no memcached; those that do are {@code MemcachedTierContextTests}.
 */
class MemcachedTierAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ProtevusAutoConfiguration.class, TieredCacheAutoConfiguration.class))
		.withConfiguration(BootAutoConfigurations.cache())
		.withConfiguration(BootAutoConfigurations.jackson())
		.withUserConfiguration(CachingConfiguration.class);

	private ServerSocket silentServer;

	private String servers;

	@BeforeEach
	void openSilentServer() throws IOException {
		this.silentServer = new ServerSocket(0, 200, InetAddress.getByName("127.0.0.1"));
		this.servers = "127.0.0.1:" + this.silentServer.getLocalPort();
	}

	@AfterEach
	void closeSilentServer() throws IOException {
		this.silentServer.close();
	}

	@Test
	void noMemcachedTierWithoutServers() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(TieredCacheManager.class).doesNotHaveBean(MemcachedTierSupport.class);
			assertThat(cache(context, "books").getSettings().tiers()).containsExactly(CacheTier.MEMORY);
		});
	}

	@Test
	void serversMakeMemcachedTheDefaultSecondTierWithoutRedis() {
		this.contextRunner
			.withPropertyValues("protevus.cache.memcached.servers=" + this.servers, "spring.application.name=bookstore")
			.run((context) -> {
				assertThat(context).hasSingleBean(MemcachedTierSupport.class);
				MemcachedTierSupport support = context.getBean(MemcachedTierSupport.class);
				assertThat(support.keyPrefix()).isEqualTo("bookstore:");
				assertThat(support.circuitBreaker().getName()).isEqualTo("protevus-cache-memcached");
				assertThat(context.getBean(TieredCacheManager.class).getMemcachedTierSupport()).isSameAs(support);
				assertThat(cache(context, "books").getSettings().tiers()).containsExactly(CacheTier.MEMORY,
						CacheTier.MEMCACHED);
			});
	}

	@Test
	void redisStaysTheDefaultSecondTierWhenBothAreConfigured() {
		this.contextRunner.withConfiguration(BootAutoConfigurations.redis())
			.withPropertyValues(TestRedis.get().propertyValues())
			.withPropertyValues("protevus.cache.memcached.servers=" + this.servers,
					"protevus.cache.caches.sessions.tiers=memory,memcached")
			.run((context) -> {
				assertThat(cache(context, "books").getSettings().tiers()).containsExactly(CacheTier.MEMORY,
						CacheTier.REDIS);
				assertThat(cache(context, "sessions").getSettings().tiers()).containsExactly(CacheTier.MEMORY,
						CacheTier.MEMCACHED);
			});
	}

	@Test
	void serversBindFromAListOrACommaSeparatedValue() {
		this.contextRunner
			.withPropertyValues("protevus.cache.memcached.servers[0]=" + this.servers,
					"protevus.cache.memcached.servers[1]=" + this.servers)
			.run((context) -> assertThat(context).hasSingleBean(MemcachedTierSupport.class));
		this.contextRunner.withPropertyValues("protevus.cache.memcached.servers=" + this.servers + ",localhost")
			.run((context) -> assertThat(context).hasSingleBean(MemcachedTierSupport.class));
	}

	@Test
	void memcachedTierWithoutServersFailsNamingTheServersProperty() {
		this.contextRunner.withPropertyValues("protevus.cache.tiers=memory,memcached").run((context) -> {
			FailureAnalysis analysis = failure(context);
			assertThat(analysis.getDescription()).contains("protevus.cache.tiers")
				.contains("'protevus.cache.memcached.servers' names none");
			assertThat(analysis.getAction()).contains("protevus.cache.memcached.servers");
		});
	}

	@Test
	void memcachedTierWithoutFolsomFailsNamingTheLibrary() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(AsciiMemcacheClient.class))
			.withPropertyValues("protevus.cache.memcached.servers=" + this.servers)
			.run((context) -> assertThat(context).doesNotHaveBean(MemcachedTierSupport.class));
		this.contextRunner.withClassLoader(new FilteredClassLoader(AsciiMemcacheClient.class))
			.withPropertyValues("protevus.cache.memcached.servers=" + this.servers,
					"protevus.cache.caches.books.tiers=memory,memcached")
			.run((context) -> {
				FailureAnalysis analysis = failure(context);
				assertThat(analysis.getDescription()).contains("protevus.cache.caches.books.tiers")
					.contains("com.spotify:folsom");
				assertThat(analysis.getAction()).contains("com.spotify:folsom");
			});
	}

	@Test
	void malformedServersFailNamingTheProperty() {
		for (String servers : List.of("cache-1:eleven", "cache-1:0", "cache-1:70000", "::1:11211", "[::1", ":11211")) {
			this.contextRunner.withPropertyValues("protevus.cache.memcached.servers=" + servers).run((context) -> {
				FailureAnalysis analysis = failure(context);
				assertThat(analysis.getDescription()).as(servers).contains("protevus.cache.memcached.servers");
				assertThat(analysis.getAction()).contains("host:port");
			});
		}
	}

	@Test
	void ipv6AndDefaultPortsAreAccepted() {
		this.contextRunner
			.withPropertyValues("protevus.cache.memcached.servers=[::1]:" + this.silentServer.getLocalPort())
			.run((context) -> assertThat(context).hasSingleBean(MemcachedTierSupport.class));
		assertThat(MemcachedServers.parse(List.of("cache-1", "[::1]:11212", " cache-2:11213 "))).containsExactly(
				new MemcachedServers.Server("cache-1", 11211), new MemcachedServers.Server("::1", 11212),
				new MemcachedServers.Server("cache-2", 11213));
	}

	@Test
	void zeroTimeoutFailsNamingTheProperty() {
		this.contextRunner
			.withPropertyValues("protevus.cache.memcached.servers=" + this.servers,
					"protevus.cache.memcached.timeout=0s")
			.run((context) -> assertThat(failure(context).getDescription())
				.contains("protevus.cache.memcached.timeout"));
	}

	@Test
	void retentionOfThirtyDaysOrMoreFailsForMemcachedCaches() {
		ApplicationContextRunner withServers = this.contextRunner
			.withPropertyValues("protevus.cache.memcached.servers=" + this.servers);
		withServers.withPropertyValues("protevus.cache.default-ttl=30d").run((context) -> {
			FailureAnalysis analysis = failure(context);
			assertThat(analysis.getDescription()).contains("protevus.cache.default-ttl").contains("30 days");
			assertThat(analysis.getAction()).contains("protevus.cache.default-ttl")
				.contains("protevus.cache.stale-while-revalidate");
		});
		withServers
			.withPropertyValues("protevus.cache.caches.books.ttl=29d",
					"protevus.cache.caches.books.stale-while-revalidate=1d")
			.run((context) -> assertThat(failure(context).getAction()).contains("protevus.cache.caches.books.ttl")
				.contains("protevus.cache.caches.books.stale-while-revalidate"));
		// Caches without the memcached tier keep any ttl.
		withServers
			.withPropertyValues("protevus.cache.caches.archive.ttl=365d", "protevus.cache.caches.archive.tiers=memory")
			.run((context) -> assertThat(cache(context, "archive").getSettings().ttl())
				.isEqualTo(Duration.ofDays(365)));
	}

	@Test
	void backsOffToTheApplicationsMemcachedTierSupport() {
		this.contextRunner.withPropertyValues("protevus.cache.memcached.servers=" + this.servers)
			.withUserConfiguration(OwnSupportConfiguration.class)
			.run((context) -> {
				assertThat(context).hasSingleBean(MemcachedTierSupport.class);
				assertThat(context.getBean(MemcachedTierSupport.class).keyPrefix()).isEqualTo("own:");
			});
	}

	@Test
	void customizersAdjustTheClientInOrder() {
		this.contextRunner.withPropertyValues("protevus.cache.memcached.servers=" + this.servers)
			.withUserConfiguration(ClientCustomizersConfiguration.class)
			.run((context) -> assertThat(context.getBean(ClientCustomizersConfiguration.class).calls)
				.containsExactly("first", "second"));
	}

	@Test
	void usesTheCircuitBreakerOfResilience4jsRegistry() {
		CircuitBreakerRegistry registry = CircuitBreakerRegistry.ofDefaults();
		this.contextRunner.withPropertyValues("protevus.cache.memcached.servers=" + this.servers)
			.withBean(CircuitBreakerRegistry.class, () -> registry)
			.run((context) -> assertThat(context.getBean(MemcachedTierSupport.class).circuitBreaker())
				.isSameAs(registry.circuitBreaker("protevus-cache-memcached")));
	}

	@Test
	void aMemcachedThatNeverAnswersCostsEachReadTheTimeoutAndThenOpensTheBreaker() {
		this.contextRunner.withPropertyValues("protevus.cache.memcached.servers=" + this.servers).run((context) -> {
			TieredCache cache = cache(context, "books");
			MemcachedTierSupport support = context.getBean(MemcachedTierSupport.class);
			// A first read loads what the tier's code path needs, then twelve concurrent
			// reads each wait the 250 ms timeout and are misses.
			assertThat(cache.retrieve("first")).succeedsWithin(Duration.ofSeconds(5)).isNull();
			long start = System.nanoTime();
			List<CompletableFuture<?>> reads = IntStream.range(0, 12)
				.mapToObj((i) -> cache.retrieve("key-" + i))
				.<CompletableFuture<?>>map((read) -> read)
				.toList();
			for (CompletableFuture<?> read : reads) {
				assertThat(read).succeedsWithin(Duration.ofSeconds(2)).isNull();
			}
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(250 + 400));
			assertThat(support.circuitBreaker().getState()).isEqualTo(CircuitBreaker.State.OPEN);
			assertThat(cache.statistics(CacheTier.MEMCACHED).errors()).isGreaterThanOrEqualTo(10);
			// With the breaker open, loads skip memcached: nothing more is tried and
			// failed.
			long errors = cache.statistics(CacheTier.MEMCACHED).errors();
			assertThat(cache.retrieve("key-x", () -> CompletableFuture.completedFuture("loaded")))
				.succeedsWithin(Duration.ofSeconds(1))
				.isEqualTo("loaded");
			assertThat(cache.get("key-x").get()).isEqualTo("loaded");
			assertThat(cache.statistics(CacheTier.MEMCACHED).errors()).isEqualTo(errors);
		});
	}

	private static FailureAnalysis failure(AssertableApplicationContext context) {
		assertThat(context).hasFailed();
		FailureAnalysis analysis = StartupFailures.analyze(context.getStartupFailure());
		assertThat(analysis).as("failure analysis of %s", context.getStartupFailure()).isNotNull();
		return analysis;
	}

	private static TieredCache cache(AssertableApplicationContext context, String name) {
		return context.getBean(TieredCacheManager.class).getCache(name);
	}

	@Configuration(proxyBeanMethods = false)
	@EnableCaching
	static class CachingConfiguration {

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnSupportConfiguration {

		@Bean
		MemcachedTierSupport ownMemcachedTierSupport() {
			return new MemcachedTierSupport(
					MemcacheClientBuilder.newByteArrayClient().withAddress("127.0.0.1", 1).connectAscii(), "own:",
					Duration.ofSeconds(1),
					CircuitBreaker.of("own", LockFreeCircuitBreakers.lockFree(CircuitBreakerConfig.ofDefaults())));
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ClientCustomizersConfiguration {

		final List<String> calls = new CopyOnWriteArrayList<>();

		@Bean
		@Order(1)
		MemcachedClientCustomizer second() {
			return (builder) -> this.calls.add("second");
		}

		@Bean
		@Order(0)
		MemcachedClientCustomizer first() {
			return (builder) -> this.calls.add("first");
		}

	}

}
