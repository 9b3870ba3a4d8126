package dev.protevus.boot.autoconfigure.cache;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import dev.protevus.boot.autoconfigure.ProtevusAutoConfiguration;
import dev.protevus.boot.test.TestRedis;
import io.netty.channel.ChannelOption;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.cache.CacheAutoConfiguration;
import org.springframework.boot.autoconfigure.data.redis.RedisAutoConfiguration;
import org.springframework.boot.autoconfigure.data.redis.RedisReactiveAutoConfiguration;
import org.springframework.boot.autoconfigure.http.codec.CodecsAutoConfiguration;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.autoconfigure.web.embedded.EmbeddedWebServerFactoryCustomizerAutoConfiguration;
import org.springframework.boot.autoconfigure.web.reactive.HttpHandlerAutoConfiguration;
import org.springframework.boot.autoconfigure.web.reactive.ReactiveWebServerFactoryAutoConfiguration;
import org.springframework.boot.autoconfigure.web.reactive.WebFluxAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.reactive.context.ReactiveWebServerApplicationContext;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many concurrent HTTP requests for one cold key, on real servers: one load per instance,
 * one in the cluster with the cluster lock, and another instance takes over when the lock
 * holder dies.
 */
class CacheStampedeTests {

	private static final Duration LOAD_TIME = Duration.ofMillis(500);

	private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

	private final ConnectionProvider connections = ConnectionProvider.builder("stampede")
		.maxConnections(600)
		.pendingAcquireMaxCount(-1)
		.pendingAcquireTimeout(Duration.ofSeconds(60))
		.build();

	private final WebClient client = WebClient.builder()
		.clientConnector(new ReactorClientHttpConnector(HttpClient.create(this.connections)
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000)
			.responseTimeout(Duration.ofSeconds(60))))
		.build();

	@AfterEach
	void stop() {
		this.contexts.forEach(ConfigurableApplicationContext::close);
		this.connections.dispose();
	}

	@Test
	void fiveHundredConcurrentRequestsForOneColdKeyRunOneLoad() {
		ConfigurableApplicationContext instance = start("spring.application.name=stampede-local");
		List<String> bodies = requests(List.of(instance), 500, "/reports/q1").collectList()
			.block(Duration.ofMinutes(2));
		assertThat(bodies).hasSize(500).containsOnly("report q1");
		assertThat(loads(instance)).hasValue(1);
	}

	@Test
	void clusterLockRunsOneLoadForTwoInstances() {
		String[] service = { "spring.application.name=stampede-cluster", "protevus.cache.caches.reports.lock=cluster",
				"protevus.cache.caches.reports.tiers=memory,redis" };
		ConfigurableApplicationContext first = start(service);
		ConfigurableApplicationContext second = start(service);
		List<String> bodies = requests(List.of(first, second), 500, "/reports/q2").collectList()
			.block(Duration.ofMinutes(2));
		assertThat(bodies).hasSize(500).containsOnly("report q2");
		assertThat(loads(first).get() + loads(second).get()).isOne();
	}

	@Test
	void whenTheLockHolderDiesAnotherInstanceLoadsAfterTheLease() {
		Duration lease = Duration.ofSeconds(2);
		String[] service = { "spring.application.name=stampede-lease", "protevus.cache.caches.reports.lock=cluster",
				"protevus.cache.caches.reports.tiers=memory,redis",
				"protevus.cache.redis.lock-timeout=" + lease.toMillis() + "ms", "server.shutdown=immediate" };
		ConfigurableApplicationContext holder = start(service);
		ConfigurableApplicationContext survivor = start(service);
		// The holder takes the lock and never finishes its load.
		holder.getBean(Reports.class).hang();
		requests(List.of(holder), 1, "/reports/q3").subscribe(null, (ex) -> {
		});
		await(() -> loads(holder).get() == 1);
		holder.close();
		long start = System.nanoTime();
		List<Long> waited = requests(List.of(survivor), 50, "/reports/q3")
			.map((body) -> Duration.ofNanos(System.nanoTime() - start).toMillis())
			.collectList()
			.block(Duration.ofMinutes(1));
		assertThat(waited).hasSize(50);
		assertThat(loads(survivor)).hasValue(1);
		// The lease ran from when the holder took the lock, before the requests started.
		assertThat(waited).allSatisfy(
				(millis) -> assertThat(millis).isLessThanOrEqualTo(lease.plus(LOAD_TIME).plusMillis(250).toMillis()));
	}

	private Flux<String> requests(List<ConfigurableApplicationContext> instances, int count, String path) {
		return Flux.range(0, count)
			.flatMap((i) -> this.client.get()
				.uri("http://127.0.0.1:" + port(instances.get(i % instances.size())) + path)
				.retrieve()
				.bodyToMono(String.class), count);
	}

	private ConfigurableApplicationContext start(String... properties) {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(ServerApplication.class)
			.web(WebApplicationType.REACTIVE)
			.properties("server.port=0", "server.address=127.0.0.1", "spring.main.banner-mode=off",
					"protevus.cache.serialization.allowed-packages=dev.protevus.boot.autoconfigure.cache")
			.properties(TestRedis.get().propertyValues())
			.properties(properties)
			.run();
		this.contexts.add(context);
		return context;
	}

	private static int port(ConfigurableApplicationContext context) {
		return ((ReactiveWebServerApplicationContext) context).getWebServer().getPort();
	}

	private static AtomicInteger loads(ConfigurableApplicationContext context) {
		return context.getBean(Reports.class).loads();
	}

	private static void await(java.util.concurrent.Callable<Boolean> condition) {
		org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(condition);
	}

	static class Reports {

		private final AtomicInteger loads = new AtomicInteger();

		private volatile boolean hang;

		// Public: the bean is a caching proxy, which passes on only public calls.
		public void hang() {
			this.hang = true;
		}

		public AtomicInteger loads() {
			return this.loads;
		}

		@Cacheable(cacheNames = "reports", sync = true)
		public Mono<String> report(String name) {
			this.loads.incrementAndGet();
			return this.hang ? Mono.never() : Mono.delay(LOAD_TIME).thenReturn("report " + name);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableCaching
	@ImportAutoConfiguration({ ReactiveWebServerFactoryAutoConfiguration.class,
			EmbeddedWebServerFactoryCustomizerAutoConfiguration.class, WebFluxAutoConfiguration.class,
			HttpHandlerAutoConfiguration.class, JacksonAutoConfiguration.class, CodecsAutoConfiguration.class,
			ProtevusAutoConfiguration.class, RedisAutoConfiguration.class, RedisReactiveAutoConfiguration.class,
			TieredCacheAutoConfiguration.class, CacheAutoConfiguration.class })
	static class ServerApplication {

		/**
		 * Event loops of this server's own: closing one instance must not dispose the
		 * loops that the other instance and the test's client share.
		 */
		@Bean
		ReactorResourceFactory reactorServerResourceFactory() {
			ReactorResourceFactory resources = new ReactorResourceFactory();
			resources.setUseGlobalResources(false);
			return resources;
		}

		@Bean
		Reports reports() {
			return new Reports();
		}

		@Bean
		RouterFunction<ServerResponse> reportRoutes(Reports reports) {
			return RouterFunctions.route()
				.GET("/reports/{name}",
						(request) -> ServerResponse.ok()
							.body(reports.report(request.pathVariable("name")), String.class))
				.build();
		}

	}

}
