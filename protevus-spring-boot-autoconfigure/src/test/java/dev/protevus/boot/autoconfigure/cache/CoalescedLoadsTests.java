package dev.protevus.boot.autoconfigure.cache;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import dev.protevus.boot.autoconfigure.ProtevusAutoConfiguration;
import dev.protevus.boot.cache.CacheTier;
import dev.protevus.boot.cache.CoalescingCacheInterceptor;
import dev.protevus.boot.cache.MutableClock;
import dev.protevus.boot.cache.TieredCache;
import dev.protevus.boot.cache.TieredCacheManager;
import dev.protevus.boot.test.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
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
import org.springframework.boot.autoconfigure.web.reactive.error.ErrorWebFluxAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.reactive.context.ReactiveWebServerApplicationContext;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.interceptor.CacheInterceptor;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.server.ResponseStatusException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Plain {@code @Cacheable} methods whose invocations load through the tiered caches, on
 * real Reactor Netty servers: bursts of concurrent requests for one cold key, with the
 * loaded method held until the whole burst has arrived so that every request misses
 * together. BlockHound, installed for every test of this module, turns a blocking call on
 * an event loop into a failed request.
 */
class CoalescedLoadsTests {

	private static final int BURST = 500;

	private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

	private final ConnectionProvider connections = ConnectionProvider.builder("coalesced-loads-tests")
		.maxConnections(BURST)
		.pendingAcquireMaxCount(-1)
		.build();

	@AfterEach
	void stop() {
		this.contexts.forEach(ConfigurableApplicationContext::close);
		this.connections.dispose();
	}

	@Test
	void concurrentMissesOfAMonoMethodRunItOnce() {
		Server server = start();
		List<Answer> answers = server.burst("/quotes/1", BURST);
		assertThat(answers).hasSize(BURST).containsOnly(new Answer(200, "{\"id\":1,\"text\":\"Quote 1\"}"));
		assertThat(server.service().invocations()).isOne();
		assertThat(server.context().getBean(CacheInterceptor.class)).isInstanceOf(CoalescingCacheInterceptor.class);
	}

	@Test
	void concurrentMissesOfAPlainMethodRunItOnce() {
		Server server = start();
		List<Answer> answers = server.burst("/plain/2", BURST);
		assertThat(answers).hasSize(BURST).containsOnly(new Answer(200, "{\"id\":2,\"text\":\"Quote 2\"}"));
		assertThat(server.service().invocations()).isOne();
	}

	@Test
	void concurrentMissesOfACompletableFutureMethodRunItOnce() {
		Server server = start();
		List<Answer> answers = server.burst("/future/3", BURST);
		assertThat(answers).hasSize(BURST).containsOnly(new Answer(200, "{\"id\":3,\"text\":\"Quote 3\"}"));
		assertThat(server.service().invocations()).isOne();
	}

	@Test
	void anEmptyResultThatUnlessRejectsIsSharedButNotStored() {
		Server server = start();
		assertThat(server.burst("/maybe/4", BURST)).hasSize(BURST).containsOnly(new Answer(200, ""));
		assertThat(server.service().invocations()).isOne();
		assertThat(server.cache("maybe").get(4L)).isNull();
		assertThat(server.burst("/maybe/4", BURST)).hasSize(BURST).containsOnly(new Answer(200, ""));
		assertThat(server.service().invocations()).isEqualTo(2);
	}

	@Test
	void aFailedInvocationReachesEveryWaiterAndIsNotStored() {
		Server server = start();
		server.service().failing(true);
		assertThat(server.burst("/quotes/5", BURST)).hasSize(BURST)
			.allSatisfy((answer) -> assertThat(answer.status()).isEqualTo(503));
		assertThat(server.service().invocations()).isOne();
		assertThat(server.cache("quotes").get(5L)).isNull();
		server.service().failing(false);
		assertThat(server.burst("/quotes/5", 1)).containsExactly(new Answer(200, "{\"id\":5,\"text\":\"Quote 5\"}"));
		assertThat(server.service().invocations()).isEqualTo(2);
	}

	@Test
	void aClusterLockRunsTheMethodOnceAcrossInstances() {
		String[] cluster = { "spring.application.name=coalesced-cluster-" + System.nanoTime(),
				"protevus.cache.caches.quotes.tiers=memory,redis", "protevus.cache.caches.quotes.lock=cluster",
				"protevus.cache.serialization.allowed-packages=dev.protevus.boot.autoconfigure.cache",
				"protevus.cache.redis.timeout=5s" };
		Server first = start(withRedis(cluster));
		Server second = start(withRedis(cluster));
		int each = 200;
		List<Answer> answers = Flux
			.merge(first.burstAsync("/quotes/6", each, each), second.burstAsync("/quotes/6", each, each))
			.collectList()
			.block(Duration.ofSeconds(60));
		assertThat(answers).hasSize(2 * each).containsOnly(new Answer(200, "{\"id\":6,\"text\":\"Quote 6\"}"));
		assertThat(first.service().invocations() + second.service().invocations()).isOne();
	}

	@Test
	void aStaleEntryIsServedAtOnceWhileOneInvocationRefreshesIt() {
		Server server = start("protevus.cache.caches.quotes.ttl=1m",
				"protevus.cache.caches.quotes.stale-while-revalidate=1h");
		assertThat(server.burst("/quotes/7", 1)).containsExactly(new Answer(200, "{\"id\":7,\"text\":\"Quote 7\"}"));
		server.context().getBean(MutableClock.class).advance(Duration.ofMinutes(2));
		QuoteService service = server.service();
		service.edition("Revised");
		// The refresh waits for more misses than will ever come while the stale reads
		// run: they can only answer if none of them waits for it.
		List<Answer> answers = server.burst("/quotes/7", 100, Integer.MAX_VALUE);
		assertThat(answers).hasSize(100).containsOnly(new Answer(200, "{\"id\":7,\"text\":\"Quote 7\"}"));
		assertThat(service.invocations()).isEqualTo(2);
		server.context().getBean(Gate.class).open();
		await().untilAsserted(() -> assertThat(server.get("/quotes/7"))
			.isEqualTo(new Answer(200, "{\"id\":7,\"text\":\"Revised 7\"}")));
		assertThat(service.invocations()).isEqualTo(2);
	}

	@Test
	void withCoalesceLoadsOffConcurrentMissesEachRunTheMethodAsInSpring() {
		Server server = start("protevus.cache.coalesce-loads=false");
		assertThat(server.burst("/quotes/8", BURST)).hasSize(BURST)
			.containsOnly(new Answer(200, "{\"id\":8,\"text\":\"Quote 8\"}"));
		assertThat(server.service().invocations()).isGreaterThan(1);
	}

	@Test
	void aCacheOfItsOwnCanTurnCoalescingOff() {
		Server server = start("protevus.cache.caches.quotes.coalesce-loads=false");
		server.burst("/quotes/9", BURST);
		assertThat(server.service().invocations()).isGreaterThan(1);
		int before = server.service().invocations();
		server.burst("/maybe/9", BURST);
		assertThat(server.service().invocations()).as("the maybe cache still coalesces").isEqualTo(before + 1);
	}

	private static String[] withRedis(String... properties) {
		List<String> all = new ArrayList<>(List.of(TestRedis.get().propertyValues()));
		all.addAll(List.of(properties));
		return all.toArray(String[]::new);
	}

	private Server start(String... properties) {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(QuoteApplication.class)
			.web(WebApplicationType.REACTIVE)
			.properties("server.port=0", "server.address=127.0.0.1", "spring.main.banner-mode=off")
			.properties(properties)
			.run();
		this.contexts.add(context);
		int port = ((ReactiveWebServerApplicationContext) context).getWebServer().getPort();
		WebClient client = WebClient.builder()
			.baseUrl("http://127.0.0.1:" + port)
			.clientConnector(new ReactorClientHttpConnector(HttpClient.create(this.connections)))
			.build();
		return new Server(context, client);
	}

	record Answer(int status, String body) {
	}

	record Server(ConfigurableApplicationContext context, WebClient client) {

		QuoteService service() {
			return this.context.getBean(QuoteService.class);
		}

		TieredCache cache(String name) {
			return this.context.getBean(TieredCacheManager.class).getCache(name);
		}

		List<Answer> burst(String path, int requests) {
			return burst(path, requests, requests);
		}

		/**
		 * Sends concurrent requests; the loaded method answers once the expected number
		 * of them has reached the cache (or {@link Gate#open()} is called).
		 */
		List<Answer> burst(String path, int requests, int expected) {
			try {
				return burstAsync(path, requests, expected).collectList().block(Duration.ofSeconds(60));
			}
			catch (IllegalStateException ex) {
				// A burst that never ends: show where every thread was, and how many
				// requests had reached the controller.
				StringBuilder dump = new StringBuilder("Burst of " + requests + " requests to " + path
						+ " did not end; arrivals at the controller: " + this.context.getBean(Gate.class).arrivals()
						+ ", loads: " + service().invocations() + "\n");
				Thread.getAllStackTraces().forEach((thread, stack) -> {
					dump.append('"').append(thread.getName()).append("\" ").append(thread.getState()).append('\n');
					for (StackTraceElement element : stack) {
						dump.append("\tat ").append(element).append('\n');
					}
				});
				System.err.println(dump);
				throw ex;
			}
		}

		Flux<Answer> burstAsync(String path, int requests, int expected) {
			Gate gate = this.context.getBean(Gate.class);
			if (path.startsWith("/plain")) {
				// Blocking callers queue for the worker pool's few threads: count them as
				// they arrive at the controller instead.
				gate.expect(expected, gate::arrivals);
			}
			else {
				TieredCache cache = cache(path.startsWith("/maybe") ? "maybe" : "quotes");
				gate.expect(expected, () -> cache.statistics(CacheTier.MEMORY).misses());
			}
			return Flux.range(0, requests).flatMap((i) -> send(path), requests);
		}

		Answer get(String path) {
			return send(path).block(Duration.ofSeconds(10));
		}

		private Mono<Answer> send(String path) {
			return this.client.get()
				.uri(path)
				.exchangeToMono((response) -> response.bodyToMono(String.class)
					.defaultIfEmpty("")
					.map((body) -> new Answer(response.statusCode().value(), body)));
		}

	}

	public record Quote(long id, String text) {
	}

	/**
	 * Holds every loaded result until the expected number of requests has reached the
	 * cache, so that they all miss together.
	 */
	static class Gate {

		private final AtomicLong arrivals = new AtomicLong();

		private volatile LongSupplier count = this.arrivals::get;

		private volatile long baseline;

		private volatile long expected;

		private volatile boolean opened;

		void expect(long expected, LongSupplier count) {
			this.count = count;
			this.baseline = count.getAsLong();
			this.expected = expected;
			this.opened = false;
		}

		void arrive() {
			this.arrivals.incrementAndGet();
		}

		long arrivals() {
			return this.arrivals.get();
		}

		void open() {
			this.opened = true;
		}

		private boolean isOpen() {
			return this.opened || this.count.getAsLong() - this.baseline >= this.expected;
		}

		/**
		 * Completes one poll after the gate is seen open, leaving the last request that
		 * was counted the time to join the load.
		 */
		Mono<Void> opened() {
			return Flux.interval(Duration.ZERO, Duration.ofMillis(5))
				.filter((tick) -> isOpen())
				.skip(1)
				.next()
				.then()
				.timeout(Duration.ofSeconds(30));
		}

	}

	/**
	 * Cached methods that count their invocations and answer when the gate opens.
	 */
	static class QuoteService {

		private final Gate gate;

		private final AtomicInteger invocations = new AtomicInteger();

		private volatile boolean failing;

		private volatile String edition = "Quote";

		QuoteService(Gate gate) {
			this.gate = gate;
		}

		public int invocations() {
			return this.invocations.get();
		}

		public void failing(boolean failing) {
			this.failing = failing;
		}

		public void edition(String edition) {
			this.edition = edition;
		}

		@Cacheable("quotes")
		public Mono<Quote> find(long id) {
			this.invocations.incrementAndGet();
			String edition = this.edition;
			return this.gate.opened()
				.then(Mono.defer(() -> this.failing
						? Mono.error(new ResponseStatusException(HttpStatus.SERVICE_UNAVAILABLE, "quote source down"))
						: Mono.just(new Quote(id, edition + " " + id))));
		}

		@Cacheable(cacheNames = "quotes", key = "'plain-' + #id")
		public Quote findPlain(long id) {
			this.invocations.incrementAndGet();
			this.gate.opened().block(Duration.ofSeconds(30));
			return new Quote(id, this.edition + " " + id);
		}

		@Cacheable(cacheNames = "quotes", key = "'future-' + #id")
		public CompletableFuture<Quote> findFuture(long id) {
			this.invocations.incrementAndGet();
			return this.gate.opened().then(Mono.fromSupplier(() -> new Quote(id, this.edition + " " + id))).toFuture();
		}

		@Cacheable(cacheNames = "maybe", unless = "#result == null")
		public Mono<Quote> maybe(long id) {
			this.invocations.incrementAndGet();
			return this.gate.opened().then(Mono.empty());
		}

	}

	@RestController
	static class QuoteController {

		private final QuoteService quotes;

		private final Gate gate;

		private final Scheduler blockingCallers;

		QuoteController(QuoteService quotes, Gate gate, Scheduler blockingCallers) {
			this.quotes = quotes;
			this.gate = gate;
			this.blockingCallers = blockingCallers;
		}

		@GetMapping("/quotes/{id}")
		Mono<Quote> quote(@PathVariable long id) {
			return this.quotes.find(id);
		}

		@GetMapping("/plain/{id}")
		Mono<Quote> plain(@PathVariable long id) {
			this.gate.arrive();
			// A blocking method is called off the event loop, as the async feature's
			// worker pools would.
			return Mono.fromCallable(() -> this.quotes.findPlain(id)).subscribeOn(this.blockingCallers);
		}

		@GetMapping("/future/{id}")
		Mono<Quote> future(@PathVariable long id) {
			return Mono.fromFuture(this.quotes.findFuture(id));
		}

		@GetMapping("/maybe/{id}")
		Mono<Quote> maybe(@PathVariable long id) {
			return this.quotes.maybe(id);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableCaching
	@ImportAutoConfiguration({ ReactiveWebServerFactoryAutoConfiguration.class,
			EmbeddedWebServerFactoryCustomizerAutoConfiguration.class, WebFluxAutoConfiguration.class,
			ErrorWebFluxAutoConfiguration.class, HttpHandlerAutoConfiguration.class, JacksonAutoConfiguration.class,
			CodecsAutoConfiguration.class, ProtevusAutoConfiguration.class, TieredCacheAutoConfiguration.class,
			CacheAutoConfiguration.class, RedisAutoConfiguration.class, RedisReactiveAutoConfiguration.class })
	static class QuoteApplication {

		@Bean
		Gate gate() {
			return new Gate();
		}

		@Bean
		QuoteService quoteService(Gate gate) {
			return new QuoteService(gate);
		}

		/**
		 * The blocking callers' threads, as many as Reactor's boundedElastic has here but
		 * the context's own: the shared boundedElastic may still be busy with blocking
		 * work that earlier tests of the JVM left behind, and a task queued behind such
		 * work waits for it (twice in full builds a burst never ended, though the class
		 * passes alone).
		 */
		@Bean(destroyMethod = "dispose")
		Scheduler blockingCallers() {
			return Schedulers.newBoundedElastic(10 * Runtime.getRuntime().availableProcessors(), 10_000,
					"quote-blocking-callers");
		}

		@Bean
		QuoteController quoteController(QuoteService quoteService, Gate gate, Scheduler blockingCallers) {
			return new QuoteController(quoteService, gate, blockingCallers);
		}

		@Bean
		MutableClock clock() {
			return new MutableClock();
		}

		@Bean
		TieredCacheManagerCustomizer clockCustomizer(MutableClock clock) {
			return (builder) -> builder.clock(clock);
		}

	}

}
