package dev.protevus.boot.autoconfigure.web;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import dev.protevus.boot.autoconfigure.ProtevusAutoConfiguration;
import dev.protevus.boot.web.InFlightLimitWebFilter;
import dev.protevus.boot.autoconfigure.web.WebTestApplication.Gate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Mono;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.http.codec.CodecsAutoConfiguration;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.autoconfigure.web.embedded.EmbeddedWebServerFactoryCustomizerAutoConfiguration;
import org.springframework.boot.autoconfigure.web.reactive.HttpHandlerAutoConfiguration;
import org.springframework.boot.autoconfigure.web.reactive.ReactiveWebServerFactoryAutoConfiguration;
import org.springframework.boot.autoconfigure.web.reactive.WebFluxAutoConfiguration;
import org.springframework.boot.autoconfigure.web.reactive.error.ErrorWebFluxAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.reactive.context.ReactiveWebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.test.util.ReflectionTestUtils;
import org.springframework.util.ClassUtils;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import static dev.protevus.boot.autoconfigure.web.WebProblemDetailsTests.expectProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The web layer on a real Reactor Netty server, where filters run on event loops (which
 * BlockHound watches): the request time bound on the request's event loop, load shedding,
 * ETags on the wire, and the client address behind proxies that the application does or
 * does not trust.
 */
class WebServerTests {

	private static final String FORWARDED_FOR = "X-Forwarded-For";

	private ConfigurableApplicationContext context;

	@AfterEach
	void stop() {
		if (this.context != null) {
			this.context.close();
		}
	}

	@ParameterizedTest(name = "server.forward-headers-strategy={0}")
	@ValueSource(strings = { "native", "framework" })
	void trustedForwardedForGivesEachClientItsOwnRateLimit(String strategy) {
		WebTestClient client = start("server.forward-headers-strategy=" + strategy,
				"protevus.web.rate-limit.enabled=true", "protevus.web.rate-limit.limit-for-period=1",
				"protevus.web.rate-limit.limit-refresh-period=1h");
		forwardedFor(client, "203.0.113.7").expectStatus().isOk();
		expectProblem(forwardedFor(client, "203.0.113.7"), 429, "/books/1");
		forwardedFor(client, "198.51.100.23").expectStatus().isOk();
	}

	@Test
	void untrustedForwardedForIsIgnoredSoClientsCannotEscapeTheirLimit() {
		WebTestClient client = start("server.forward-headers-strategy=none", "protevus.web.rate-limit.enabled=true",
				"protevus.web.rate-limit.limit-for-period=1", "protevus.web.rate-limit.limit-refresh-period=1h");
		forwardedFor(client, "203.0.113.7").expectStatus().isOk();
		expectProblem(forwardedFor(client, "198.51.100.23"), 429, "/books/1");
	}

	@Test
	void requestOverTheTimeoutIsA504ProblemAndItsWorkIsCancelled() {
		WebTestClient client = start("protevus.web.request-timeout=200ms");
		expectProblem(client.get().uri("/hold").exchange(), 504, "/hold");
		await().untilAsserted(() -> assertThat(this.context.getBean(Gate.class).cancelled()).isOne());
		assertThat(this.context.getBean(DeadlineProbe.class).deadline)
			.as("deadline of a request served by Reactor Netty")
			.hasValueMatching((deadline) -> deadline.getClass().getSimpleName().equals("NettyDeadline"));
		client.get().uri("/books/1").exchange().expectStatus().isOk();
	}

	@Test
	void requestsAboveMaxInFlightAreShedUntilOthersFinish() throws Exception {
		WebTestClient client = start("protevus.web.max-in-flight=1");
		Gate gate = this.context.getBean(Gate.class);
		CompletableFuture<Integer> held = Gate.hold(client, (request) -> request.get().uri("/hold"));
		await().until(() -> gate.arrived() == 1);
		WebTestClient.ResponseSpec shed = client.get().uri("/books/1").exchange();
		shed.expectHeader().valueEquals(HttpHeaders.RETRY_AFTER, "1");
		expectProblem(shed, 503, "/books/1");
		gate.open();
		assertThat(held.get(10, TimeUnit.SECONDS)).isEqualTo(200);
		await().until(() -> this.context.getBean(InFlightLimitWebFilter.class).inFlight() == 0);
		client.get().uri("/books/1").exchange().expectStatus().isOk();
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "/books/1", "/books?count=5" })
	void notModifiedGoesOutWithoutABody(String path) {
		WebTestClient client = start("protevus.web.etag=true");
		String etag = WebHttpCachingTests.etag(client, path);
		assertThat(etag).startsWith("W/\"");
		client.get()
			.uri(path)
			.header(HttpHeaders.IF_NONE_MATCH, etag)
			.exchange()
			.expectStatus()
			.isNotModified()
			.expectBody()
			.isEmpty();
		// The connection is still good for the next request.
		client.get().uri("/books/1").exchange().expectStatus().isOk();
	}

	private static WebTestClient.ResponseSpec forwardedFor(WebTestClient client, String address) {
		return client.get().uri("/books/1").header(FORWARDED_FOR, address).exchange();
	}

	private WebTestClient start(String... properties) {
		this.context = new SpringApplicationBuilder(ServerApplication.class).web(WebApplicationType.REACTIVE)
			.properties("server.port=0", "server.address=127.0.0.1", "spring.main.banner-mode=off")
			.properties(properties)
			.run();
		int port = ((ReactiveWebServerApplicationContext) this.context).getWebServer().getPort();
		return WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).build();
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ ReactiveWebServerFactoryAutoConfiguration.class,
			EmbeddedWebServerFactoryCustomizerAutoConfiguration.class, WebFluxAutoConfiguration.class,
			ErrorWebFluxAutoConfiguration.class, HttpHandlerAutoConfiguration.class, JacksonAutoConfiguration.class,
			CodecsAutoConfiguration.class, ProtevusAutoConfiguration.class, WebLayerAutoConfiguration.class })
	@Import(WebTestApplication.class)
	static class ServerApplication {

		@Bean
		DeadlineProbe deadlineProbe() {
			return new DeadlineProbe();
		}

	}

	/**
	 * Records which deadline the time bound would use for the last request.
	 */
	static class DeadlineProbe implements WebFilter {

		private static final Class<?> NETTY_DEADLINE = ClassUtils
			.resolveClassName("dev.protevus.boot.web.RequestTimeoutWebFilter$NettyDeadline", null);

		final AtomicReference<Object> deadline = new AtomicReference<>();

		@Override
		public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
			this.deadline.set(ReflectionTestUtils.invokeMethod(NETTY_DEADLINE, "of", exchange.getRequest(),
					Duration.ofSeconds(1)));
			return chain.filter(exchange);
		}

	}

}
