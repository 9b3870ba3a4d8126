package dev.protevus.boot.autoconfigure.loadbalancer;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import dev.protevus.boot.loadbalancer.InstanceState;
import dev.protevus.boot.loadbalancer.LoadBalancerRegistry;
import dev.protevus.boot.loadbalancer.Resilience4jInstanceBreakers;
import dev.protevus.boot.loadbalancer.ServiceState;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.reactive.context.ReactiveWebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Load balancing of real HTTP backends through a {@code @LoadBalanced WebClient}, as an
 * application would use it.
 */
class LoadBalancingTests {

	private final List<AutoCloseable> resources = new ArrayList<>();

	private ConfigurableApplicationContext context;

	@AfterEach
	void close() throws Exception {
		if (this.context != null) {
			this.context.close();
		}
		for (AutoCloseable resource : this.resources) {
			resource.close();
		}
	}

	@Test
	void roundRobinSpreadsRequestsEvenly() {
		TestBackends backends = backends(3);
		WebClient client = start("protevus.loadbalancer.services.pricing.instances=" + backends.instances());
		for (int i = 0; i < 300; i++) {
			get(client, "pricing");
		}
		assertThat(backends.all()).allSatisfy((backend) -> assertThat(backend.requests()).isBetween(99, 101));
	}

	@Test
	void leastConnectionsSpareTheSlowBackendAndKeepP99Lower() {
		TestBackends backends = backends(3);
		backends.get(0).serviceTime(Duration.ofMillis(2));
		backends.get(1).serviceTime(Duration.ofMillis(2));
		backends.get(2).serviceTime(Duration.ofMillis(20));
		WebClient client = start("protevus.loadbalancer.services.lc.instances=" + backends.instances(),
				"protevus.loadbalancer.services.lc.strategy=least-connections",
				"protevus.loadbalancer.services.rr.instances=" + backends.instances(),
				"protevus.loadbalancer.services.rr.strategy=round-robin");
		long[] leastConnections = latencies(client, "lc", 600, 8);
		int slowShare = backends.get(2).requests();
		backends.all().forEach(TestBackends.Backend::reset);
		long[] roundRobin = latencies(client, "rr", 600, 8);
		assertThat(slowShare).as("requests on the slow backend").isLessThan(600 / 5);
		assertThat(p99(leastConnections)).as("p99 of least-connections (ns)").isLessThan(p99(roundRobin));
	}

	@Test
	void requestsCancelledBeforeTheirResponseLeaveNoCountInFlight() {
		TestBackends backends = backends(2);
		backends.all().forEach((backend) -> backend.serviceTime(Duration.ofSeconds(2)));
		WebClient client = start("protevus.loadbalancer.services.pricing.instances=" + backends.instances(),
				"protevus.loadbalancer.services.pricing.strategy=least-connections");
		ServiceState pricing = registry().service("pricing");
		for (int i = 0; i < 20; i++) {
			assertThatExceptionOfType(RuntimeException.class).isThrownBy(() -> client.get()
				.uri("http://pricing/")
				.retrieve()
				.bodyToMono(String.class)
				.timeout(Duration.ofMillis(50))
				.block(Duration.ofSeconds(5)));
		}
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(backends.all())
				.allSatisfy((backend) -> assertThat(state(pricing, backend).inFlight()).isZero()));
	}

	@Test
	void ipHashSendsEachClientToOneInstanceAndMovesOnlyTheKeysOfARemovedOne() {
		TestBackends backends = backends(3);
		start("protevus.loadbalancer.services.sessions.instances=" + backends.instances(),
				"protevus.loadbalancer.services.sessions.strategy=ip-hash",
				"protevus.loadbalancer.services.sessions.retry.enabled=false",
				"protevus.loadbalancer.services.sessions.health-check.enabled=true",
				"protevus.loadbalancer.services.sessions.health-check.path=/health",
				"protevus.loadbalancer.services.sessions.health-check.interval=200ms",
				"protevus.loadbalancer.services.sessions.health-check.timeout=3s");
		List<String> clients = new ArrayList<>();
		for (int i = 0; i < 1000; i++) {
			clients.add("127.0." + (1 + i / 250) + "." + (1 + i % 250));
		}
		Map<String, String> first = mapping(clients);
		assertThat(mapping(clients)).isEqualTo(first);
		assertThat(new HashMap<>(first).values())
			.containsAll(backends.all().stream().map((backend) -> String.valueOf(backend.port())).toList());
		TestBackends.Backend removed = backends.get(1);
		removed.stop();
		ServiceState sessions = registry().service("sessions");
		await().atMost(Duration.ofSeconds(5)).until(() -> !state(sessions, removed).healthy());
		Map<String, String> without = mapping(clients);
		long moved = clients.stream().filter((client) -> !first.get(client).equals(without.get(client))).count();
		long onRemoved = clients.stream()
			.filter((client) -> first.get(client).equals(String.valueOf(removed.port())))
			.count();
		// Exactly the removed instance's clients move; its share depends on the free
		// ports the backends got, so only a gross imbalance fails.
		assertThat(moved).isEqualTo(onRemoved);
		assertThat(onRemoved).isBetween(100L, 550L);
		assertThat(clients).allSatisfy((client) -> {
			if (!first.get(client).equals(without.get(client))) {
				assertThat(first.get(client)).isEqualTo(String.valueOf(removed.port()));
			}
		});
		removed.restart();
		await().atMost(Duration.ofSeconds(5)).until(() -> state(sessions, removed).healthy());
		assertThat(mapping(clients)).isEqualTo(first);
	}

	@Test
	void healthChecksTakeADeadInstanceOutAndBringItBack() {
		TestBackends backends = backends(3);
		WebClient client = start("protevus.loadbalancer.services.pricing.instances=" + backends.instances(),
				"protevus.loadbalancer.services.pricing.retry.enabled=false",
				"protevus.loadbalancer.services.pricing.health-check.enabled=true",
				"protevus.loadbalancer.services.pricing.health-check.path=/health",
				"protevus.loadbalancer.services.pricing.health-check.interval=200ms",
				"protevus.loadbalancer.services.pricing.health-check.timeout=200ms",
				"protevus.loadbalancer.services.pricing.health-check.unhealthy-threshold=2",
				"protevus.loadbalancer.services.pricing.health-check.healthy-threshold=2");
		TestBackends.Backend dead = backends.get(0);
		ServiceState pricing = registry().service("pricing");
		dead.stop();
		// interval x unhealthy-threshold + 1s
		await().atMost(Duration.ofMillis(200 * 2 + 1000)).until(() -> !state(pricing, dead).healthy());
		for (int i = 0; i < 30; i++) {
			assertThat(get(client, "pricing")).isNotEqualTo(String.valueOf(dead.port()));
		}
		dead.reset();
		dead.restart();
		await().atMost(Duration.ofSeconds(5)).until(() -> state(pricing, dead).healthy());
		for (int i = 0; i < 30; i++) {
			get(client, "pricing");
		}
		assertThat(dead.requests()).isEqualTo(10);
	}

	@Test
	void instanceAnsweringServerErrorsIsEjected() {
		TestBackends backends = backends(3);
		TestBackends.Backend failing = backends.get(2).status(500);
		WebClient client = start("protevus.loadbalancer.services.pricing.instances=" + backends.instances(),
				"protevus.loadbalancer.services.pricing.retry.enabled=false",
				"protevus.loadbalancer.services.pricing.outlier-detection.consecutive-failures=3");
		int errors = 0;
		for (int i = 0; i < 60; i++) {
			HttpStatus status = status(client, "pricing");
			if (status.is5xxServerError()) {
				errors++;
			}
		}
		assertThat(errors).isEqualTo(3);
		assertThat(failing.requests()).isEqualTo(3);
		InstanceState state = state(registry().service("pricing"), failing);
		assertThat(state.ejected()).isTrue();
		assertThat(state.ejections()).isEqualTo(1);
		assertThat(state.ejectedUntil()).isNotNull();
	}

	@Test
	void everyInstanceGetsTrafficWhenNoneIsHealthy() {
		TestBackends backends = backends(3);
		backends.all().forEach((backend) -> backend.healthStatus(503));
		WebClient client = start("protevus.loadbalancer.services.pricing.instances=" + backends.instances(),
				"protevus.loadbalancer.services.pricing.health-check.enabled=true",
				"protevus.loadbalancer.services.pricing.health-check.path=/health",
				"protevus.loadbalancer.services.pricing.health-check.interval=100ms");
		ServiceState pricing = registry().service("pricing");
		await().atMost(Duration.ofSeconds(5))
			.until(() -> backends.all().stream().noneMatch((backend) -> state(pricing, backend).healthy()));
		for (int i = 0; i < 30; i++) {
			get(client, "pricing");
		}
		assertThat(pricing.panic()).isTrue();
		assertThat(backends.all()).allSatisfy((backend) -> assertThat(backend.requests()).isEqualTo(10));
		backends.get(0).healthStatus(200);
		await().atMost(Duration.ofSeconds(5)).until(() -> state(pricing, backends.get(0)).healthy());
		get(client, "pricing");
		assertThat(pricing.panic()).isFalse();
	}

	@Test
	void getsFailOverWhenABackendDiesMidRun() {
		TestBackends backends = backends(3);
		backends.all().forEach((backend) -> backend.serviceTime(Duration.ofMillis(1)));
		WebClient client = start("protevus.loadbalancer.services.pricing.instances=" + backends.instances(),
				"protevus.loadbalancer.services.pricing.retry.max-attempts=3");
		AtomicInteger done = new AtomicInteger();
		AtomicInteger failed = new AtomicInteger();
		Flux.range(0, 500)
			.flatMap((i) -> client.get()
				.uri("http://pricing/who")
				.retrieve()
				.bodyToMono(String.class)
				.doOnError((ex) -> failed.incrementAndGet())
				.onErrorResume((ex) -> Mono.empty())
				.doFinally((signal) -> done.incrementAndGet()), 8)
			.subscribe();
		await().atMost(Duration.ofSeconds(20)).until(() -> backends.total() >= 100);
		backends.get(1).stop();
		await().atMost(Duration.ofSeconds(30)).until(() -> done.get() == 500);
		assertThat(failed.get()).isZero();
		assertThat(registry().service("pricing").instances()).extracting(InstanceState::key)
			.contains(backends.get(1).key());
	}

	@Test
	void postsAreNotRetried() {
		TestBackends backends = backends(3);
		WebClient client = start("protevus.loadbalancer.services.pricing.instances=" + backends.instances(),
				"protevus.loadbalancer.services.pricing.outlier-detection.consecutive-failures=0");
		backends.get(0).stop();
		int failed = 0;
		for (int i = 0; i < 30; i++) {
			try {
				client.post().uri("http://pricing/who").retrieve().bodyToMono(String.class).block();
			}
			catch (RuntimeException ex) {
				failed++;
			}
		}
		assertThat(failed).isEqualTo(10);
		assertThat(backends.get(1).requests() + backends.get(2).requests()).isEqualTo(20);
	}

	@Test
	void everyInstanceHasACircuitBreakerInTheRegistry() {
		TestBackends backends = backends(3);
		WebClient client = start("protevus.loadbalancer.services.pricing.instances=" + backends.instances());
		get(client, "pricing");
		CircuitBreakerRegistry registry = this.context.getBean(CircuitBreakerRegistry.class);
		assertThat(registry.getAllCircuitBreakers()).extracting((breaker) -> breaker.getName())
			.containsAll(backends.all()
				.stream()
				.map((backend) -> Resilience4jInstanceBreakers.name("pricing", backend.key()))
				.toList());
	}

	@Test
	void requestWithoutAnyInstanceIsAnsweredWith503AndRetryAfter() {
		start("protevus.loadbalancer.services.nowhere.strategy=least-connections");
		WebClient edge = WebClient.create("http://127.0.0.1:" + port());
		edge.get().uri("/call/nowhere").exchangeToMono((response) -> {
			assertThat(response.statusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
			assertThat(response.headers().contentType()).contains(MediaType.APPLICATION_PROBLEM_JSON);
			assertThat(response.headers().header(HttpHeaders.RETRY_AFTER)).containsExactly("5");
			return response.releaseBody();
		}).block(Duration.ofSeconds(10));
	}

	private Map<String, String> mapping(List<String> clients) {
		Map<String, String> mapping = Collections.synchronizedMap(new HashMap<>());
		int port = port();
		Flux.fromIterable(clients)
			.flatMap((client) -> HttpClient.create(ConnectionProvider.newConnection())
				.bindAddress(() -> new InetSocketAddress(client, 0))
				.get()
				.uri("http://127.0.0.1:" + port + "/call/sessions")
				.responseSingle((response, body) -> body.asString())
				// The mapping is what is tested, not every request of a busy machine: a
				// client repeats a request that failed (the answer must still be the
				// same).
				.flatMap((body) -> body.matches("[0-9]+") ? Mono.just(body)
						: Mono.error(new IllegalStateException("Edge answered " + body)))
				.retry(2)
				.doOnNext((instance) -> mapping.put(client, instance)), 8)
			.blockLast(Duration.ofSeconds(60));
		assertThat(mapping).hasSize(clients.size());
		return mapping;
	}

	private static long[] latencies(WebClient client, String service, int requests, int concurrency) {
		long[] latencies = new long[requests];
		AtomicInteger index = new AtomicInteger();
		Flux.range(0, requests).flatMap((i) -> Mono.defer(() -> {
			long start = System.nanoTime();
			return client.get()
				.uri("http://" + service + "/who")
				.retrieve()
				.bodyToMono(String.class)
				.doOnNext((body) -> latencies[index.getAndIncrement()] = System.nanoTime() - start);
		}), concurrency).blockLast(Duration.ofSeconds(60));
		return latencies;
	}

	private static long p99(long[] latencies) {
		long[] sorted = latencies.clone();
		Arrays.sort(sorted);
		return sorted[(int) Math.ceil(sorted.length * 0.99) - 1];
	}

	private static String get(WebClient client, String service) {
		return client.get().uri("http://" + service + "/who").retrieve().bodyToMono(String.class).block();
	}

	private static HttpStatus status(WebClient client, String service) {
		return client.get()
			.uri("http://" + service + "/who")
			.exchangeToMono(
					(response) -> response.releaseBody().thenReturn(HttpStatus.valueOf(response.statusCode().value())))
			.block();
	}

	private static InstanceState state(ServiceState service, TestBackends.Backend backend) {
		return service.instances()
			.stream()
			.filter((instance) -> instance.key().equals(backend.key()))
			.findFirst()
			.orElseThrow();
	}

	private LoadBalancerRegistry registry() {
		return this.context.getBean(LoadBalancerRegistry.class);
	}

	private TestBackends backends(int count) {
		TestBackends backends = new TestBackends(count);
		this.resources.add(backends);
		return backends;
	}

	private WebClient start(String... properties) {
		this.context = new SpringApplicationBuilder(EdgeApplication.class).web(WebApplicationType.REACTIVE)
			.properties("server.port=0", "server.address=127.0.0.1", "spring.main.banner-mode=off")
			.properties(properties)
			.run();
		return this.context.getBean("loadBalancedWebClientBuilder", WebClient.Builder.class).build();
	}

	private int port() {
		return ((ReactiveWebServerApplicationContext) this.context).getWebServer().getPort();
	}

}
