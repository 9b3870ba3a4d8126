package dev.protevus.boot.autoconfigure.web;

import java.security.Principal;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.protevus.boot.autoconfigure.ProtevusAutoConfiguration;
import dev.protevus.boot.web.InFlightLimitWebFilter;
import dev.protevus.boot.web.RateLimitWebFilter;
import dev.protevus.boot.autoconfigure.web.WebTestApplication.Gate;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.http.codec.CodecsAutoConfiguration;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.autoconfigure.web.reactive.HttpHandlerAutoConfiguration;
import org.springframework.boot.autoconfigure.web.reactive.WebFluxAutoConfiguration;
import org.springframework.boot.autoconfigure.web.reactive.error.ErrorWebFluxAutoConfiguration;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import static dev.protevus.boot.autoconfigure.web.WebProblemDetailsTests.expectProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The request time bound, load shedding and rate limits, on an application context
 * without a server (Reactor's parallel threads stand in for the event loop;
 * {@link WebServerTests} runs the parts that need Netty).
 */
class WebTrafficTests {

	private final ReactiveWebApplicationContextRunner contextRunner = new ReactiveWebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ProtevusAutoConfiguration.class, WebLayerAutoConfiguration.class,
				WebFluxAutoConfiguration.class, ErrorWebFluxAutoConfiguration.class, HttpHandlerAutoConfiguration.class,
				JacksonAutoConfiguration.class, CodecsAutoConfiguration.class))
		.withUserConfiguration(WebTestApplication.class);

	@Test
	void requestOverTheTimeoutIsA504ProblemAndItsWorkIsCancelled() {
		this.contextRunner.withPropertyValues("protevus.web.request-timeout=200ms").run((context) -> {
			WebTestClient client = WebTestClient.bindToApplicationContext(context).build();
			Gate gate = context.getBean(Gate.class);
			for (String path : new String[] { "/hold", "/fn/hold" }) {
				assertThat(expectProblem(client.get().uri(path).exchange(), 504, path).get("detail"))
					.isEqualTo("The request took longer than 200ms.");
			}
			await().untilAsserted(() -> assertThat(gate.cancelled()).isEqualTo(2));
		});
	}

	@Test
	void eventStreamsAreNotBound() {
		this.contextRunner.withPropertyValues("protevus.web.request-timeout=100ms").run((context) -> {
			WebTestClient client = WebTestClient.bindToApplicationContext(context).build();
			Gate gate = context.getBean(Gate.class);
			CompletableFuture<Integer> stream = Gate.hold(client,
					(held) -> held.get().uri("/hold").accept(MediaType.TEXT_EVENT_STREAM));
			await().until(() -> gate.arrived() == 1);
			await().during(Duration.ofMillis(400)).atMost(Duration.ofSeconds(2)).until(() -> !stream.isDone());
			gate.open();
			assertThat(stream.get(10, TimeUnit.SECONDS)).isEqualTo(200);
		});
	}

	@Test
	void requestsAboveMaxInFlightAreA503ProblemUntilOthersFinish() {
		this.contextRunner.withPropertyValues("protevus.web.max-in-flight=2", "protevus.web.request-timeout=0")
			.run((context) -> {
				WebTestClient client = WebTestClient.bindToApplicationContext(context).build();
				Gate gate = context.getBean(Gate.class);
				InFlightLimitWebFilter filter = context.getBean(InFlightLimitWebFilter.class);
				CompletableFuture<Integer> first = Gate.hold(client, (held) -> held.get().uri("/hold"));
				CompletableFuture<Integer> second = Gate.hold(client, (held) -> held.get().uri("/fn/hold"));
				await().until(() -> gate.arrived() == 2);
				WebTestClient.ResponseSpec shed = client.get().uri("/books/1").exchange();
				shed.expectHeader().valueEquals(HttpHeaders.RETRY_AFTER, "1");
				expectProblem(shed, 503, "/books/1");
				client.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
				gate.open();
				assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(200);
				assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo(200);
				await().until(() -> filter.inFlight() == 0);
				client.get().uri("/books/1").exchange().expectStatus().isOk();
			});
	}

	@Test
	void rateLimitIsPerHeaderValueWithHeadersOnEveryAnswer() {
		this.contextRunner
			.withPropertyValues("protevus.web.rate-limit.enabled=true", "protevus.web.rate-limit.key=header:X-Api-Key",
					"protevus.web.rate-limit.limit-for-period=2", "protevus.web.rate-limit.limit-refresh-period=1h")
			.run((context) -> {
				WebTestClient client = WebTestClient.bindToApplicationContext(context).build();
				expectAllowed(get(client, "X-Api-Key", "a"), 2, 1);
				expectAllowed(get(client, "X-Api-Key", "a"), 2, 0);
				WebTestClient.ResponseSpec limited = get(client, "X-Api-Key", "a");
				limited.expectHeader()
					.valueEquals(RateLimitWebFilter.LIMIT, "2")
					.expectHeader()
					.valueEquals(RateLimitWebFilter.REMAINING, "0")
					.expectHeader()
					.value(RateLimitWebFilter.RESET,
							(reset) -> assertThat(Long.parseLong(reset)).isBetween(3000L, 3600L))
					.expectHeader()
					.value(HttpHeaders.RETRY_AFTER,
							(retryAfter) -> assertThat(Long.parseLong(retryAfter)).isBetween(3000L, 3600L));
				assertThat(expectProblem(limited, 429, "/books/1").get("detail")).asString()
					.contains("2 requests in 3600s");
				client.get()
					.uri("/actuator/health/liveness")
					.header("X-Api-Key", "a")
					.exchange()
					.expectStatus()
					.isOk()
					.expectHeader()
					.doesNotExist(RateLimitWebFilter.LIMIT);
				expectAllowed(get(client, "X-Api-Key", "b"), 2, 1);
				expectAllowed(get(client, "X-Other", "no key: limited by client address"), 2, 1);
			});
	}

	@Test
	void rateLimitByPrincipalCountsEachUserApart() {
		this.contextRunner.withUserConfiguration(HeaderAuthenticationConfiguration.class)
			.withPropertyValues("protevus.web.rate-limit.enabled=true", "protevus.web.rate-limit.key=principal",
					"protevus.web.rate-limit.limit-for-period=1", "protevus.web.rate-limit.limit-refresh-period=1h")
			.run((context) -> {
				WebTestClient client = WebTestClient.bindToApplicationContext(context).build();
				expectAllowed(get(client, "X-User", "ada"), 1, 0);
				get(client, "X-User", "ada").expectStatus().isEqualTo(429);
				expectAllowed(get(client, "X-User", "grace"), 1, 0);
			});
	}

	@Test
	void rateLimitRefillsAfterThePeriod() {
		this.contextRunner
			.withPropertyValues("protevus.web.rate-limit.enabled=true", "protevus.web.rate-limit.limit-for-period=1",
					"protevus.web.rate-limit.limit-refresh-period=300ms")
			.run((context) -> {
				WebTestClient client = WebTestClient.bindToApplicationContext(context).build();
				client.get().uri("/books/1").exchange().expectStatus().isOk();
				await().atMost(Duration.ofSeconds(5))
					.until(() -> client.get()
						.uri("/books/1")
						.exchange()
						.returnResult(String.class)
						.getStatus()
						.value() == 200);
			});
	}

	private static WebTestClient.ResponseSpec get(WebTestClient client, String header, String value) {
		return client.get().uri("/books/1").header(header, value).exchange();
	}

	private static void expectAllowed(WebTestClient.ResponseSpec response, int limit, int remaining) {
		response.expectStatus()
			.isOk()
			.expectHeader()
			.valueEquals(RateLimitWebFilter.LIMIT, Integer.toString(limit))
			.expectHeader()
			.valueEquals(RateLimitWebFilter.REMAINING, Integer.toString(remaining))
			.expectHeader()
			.exists(RateLimitWebFilter.RESET);
	}

	/**
	 * Stands in for Spring Security: authenticates the user named in a header, at Spring
	 * Security's filter order.
	 */
	@Configuration(proxyBeanMethods = false)
	static class HeaderAuthenticationConfiguration {

		@Bean
		WebFilter headerAuthentication() {
			return new HeaderAuthentication();
		}

	}

	static class HeaderAuthentication implements WebFilter, Ordered {

		@Override
		public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
			String user = exchange.getRequest().getHeaders().getFirst("X-User");
			if (user == null) {
				return chain.filter(exchange);
			}
			Principal principal = () -> user;
			return chain.filter(exchange.mutate().principal(Mono.just(principal)).build());
		}

		@Override
		public int getOrder() {
			return -100;
		}

	}

}
