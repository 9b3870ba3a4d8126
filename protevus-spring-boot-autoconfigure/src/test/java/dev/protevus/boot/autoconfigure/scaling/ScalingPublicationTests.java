package dev.protevus.boot.autoconfigure.scaling;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.protevus.boot.autoconfigure.ProtevusAutoConfiguration;
import dev.protevus.boot.scaling.ScalingAdvisor;
import dev.protevus.boot.scaling.ScalingSignal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementContextAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.autoconfigure.http.codec.CodecsAutoConfiguration;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.autoconfigure.web.reactive.HttpHandlerAutoConfiguration;
import org.springframework.boot.autoconfigure.web.reactive.ReactiveWebServerFactoryAutoConfiguration;
import org.springframework.boot.autoconfigure.web.reactive.WebFluxAutoConfiguration;
import org.springframework.boot.autoconfigure.web.reactive.function.client.WebClientAutoConfiguration;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.web.reactive.context.AnnotationConfigReactiveWebServerApplicationContext;
import org.springframework.boot.web.reactive.context.ReactiveWebServerApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The endpoint over HTTP, load shedding through readiness, and the webhook against a real
 * local HTTP server.
 */
class ScalingPublicationTests {

	private static final AtomicReference<Double> load = new AtomicReference<>(0.5);

	private final ReactiveWebApplicationContextRunner contextRunner = new ReactiveWebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ProtevusAutoConfiguration.class, ScalingAutoConfiguration.class,
				ScalingEndpointAutoConfiguration.class, JacksonAutoConfiguration.class, CodecsAutoConfiguration.class,
				WebFluxAutoConfiguration.class, HttpHandlerAutoConfiguration.class, EndpointAutoConfiguration.class,
				WebEndpointAutoConfiguration.class, ManagementContextAutoConfiguration.class,
				ApplicationAvailabilityAutoConfiguration.class, WebClientAutoConfiguration.class))
		.withBean("load", ScalingSignal.class, () -> ScalingSignal.of("load", ScalingSignal.RATIO, load::get))
		.withPropertyValues("protevus.scaling.targets.load=0.5", "protevus.scaling.replicas.current=2",
				"protevus.scaling.scale-down-stabilization=0s", "protevus.scaling.interval=50ms");

	private HttpServer server;

	@AfterEach
	void stopServer() {
		load.set(0.5);
		if (this.server != null) {
			this.server.stop(0);
		}
	}

	@Test
	void theEndpointIsNotExposedOverHttpUnlessTheApplicationExposesIt() {
		this.contextRunner.run((context) -> WebTestClient.bindToApplicationContext(context)
			.build()
			.get()
			.uri("/actuator/scaling")
			.exchange()
			.expectStatus()
			.isNotFound());
	}

	@Test
	void theEndpointAnswersTheLatestRecommendationWithDesiredReplicasAtTheTop() {
		load.set(1.0);
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=scaling").run((context) -> {
			await().until(() -> context.getBean(ScalingAdvisor.class).latest() != null);
			WebTestClient.bindToApplicationContext(context)
				.build()
				.get()
				.uri("/actuator/scaling")
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$.desiredReplicas")
				.isEqualTo(4)
				.jsonPath("$.currentReplicas")
				.isEqualTo(2)
				.jsonPath("$.verdict")
				.isEqualTo("SCALE_OUT")
				.jsonPath("$.decidedBy")
				.isEqualTo("load")
				.jsonPath("$.signals.load.ratio")
				.isEqualTo(2.0)
				.jsonPath("$.signals.load.target")
				.isEqualTo(0.5)
				.jsonPath("$.signals.load.desired")
				.isEqualTo(4)
				.jsonPath("$.signals.cpu.unit")
				.isEqualTo("ratio")
				.jsonPath("$.stabilization.windowSeconds")
				.isEqualTo(0.0)
				.jsonPath("$.vertical.requests.memory")
				.exists()
				.jsonPath("$.vertical.current.cpuCores")
				.exists()
				.jsonPath("$.timestamp")
				.exists();
		});
	}

	@Test
	void shedsThroughReadinessUnderLoadAndTakesTrafficBackAfterTheHoldTime() {
		this.contextRunner
			.withPropertyValues("protevus.scaling.shed.enabled=true", "protevus.scaling.shed.threshold=1.5",
					"protevus.scaling.shed.hold=300ms")
			.run((context) -> {
				ApplicationAvailability availability = context.getBean(ApplicationAvailability.class);
				// As SpringApplication does once the application is ready.
				AvailabilityChangeEvent.publish(context, LivenessState.CORRECT);
				AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);
				await().until(() -> context.getBean(ScalingAdvisor.class).latest() != null);
				assertThat(availability.getReadinessState()).isEqualTo(ReadinessState.ACCEPTING_TRAFFIC);
				load.set(1.0);
				await().until(availability::getReadinessState, ReadinessState.REFUSING_TRAFFIC::equals);
				assertThat(availability.getLivenessState()).isEqualTo(LivenessState.CORRECT);
				load.set(0.5);
				await().until(availability::getReadinessState, ReadinessState.ACCEPTING_TRAFFIC::equals);
				assertThat(availability.getLivenessState()).isEqualTo(LivenessState.CORRECT);
			});
	}

	@Test
	void theWebhookReceivesEachChange() throws IOException {
		List<String> bodies = new CopyOnWriteArrayList<>();
		startServer((exchange) -> {
			bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
			respond(exchange, 204);
		});
		this.contextRunner.withPropertyValues("protevus.scaling.webhook.url=" + url()).run((context) -> {
			await().until(() -> bodies.size() == 1);
			assertThat(bodies.get(0)).contains("\"desiredReplicas\":2", "\"verdict\":\"HOLD\"");
			load.set(1.0);
			await().until(() -> bodies.size() == 2);
			assertThat(bodies.get(1)).contains("\"desiredReplicas\":4", "\"verdict\":\"SCALE_OUT\"");
			load.set(0.25);
			await().until(() -> bodies.size() == 3);
			assertThat(bodies.get(2)).contains("\"desiredReplicas\":1", "\"verdict\":\"SCALE_IN\"");
		});
		assertThat(bodies).hasSize(3);
	}

	@Test
	void aFailedPostIsRetried() throws IOException {
		AtomicInteger attempts = new AtomicInteger();
		List<String> bodies = new CopyOnWriteArrayList<>();
		startServer((exchange) -> {
			String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
			if (attempts.incrementAndGet() < 3) {
				respond(exchange, 503);
				return;
			}
			bodies.add(body);
			respond(exchange, 200);
		});
		this.contextRunner
			.withPropertyValues("protevus.scaling.webhook.url=" + url(), "protevus.scaling.webhook.max-attempts=3",
					"protevus.scaling.webhook.wait-duration=10ms")
			.run((context) -> await().until(() -> bodies.size() == 1));
		assertThat(attempts).hasValue(3);
	}

	@Test
	void aDeadWebhookSlowsNoRequest() throws IOException {
		CountDownLatch release = new CountDownLatch(1);
		CountDownLatch received = new CountDownLatch(1);
		startServer((exchange) -> {
			received.countDown();
			try {
				release.await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			respond(exchange, 204);
		});
		try {
			new ReactiveWebApplicationContextRunner(AnnotationConfigReactiveWebServerApplicationContext::new)
				.withConfiguration(AutoConfigurations.of(ReactiveWebServerFactoryAutoConfiguration.class,
						HttpHandlerAutoConfiguration.class, WebFluxAutoConfiguration.class,
						JacksonAutoConfiguration.class, CodecsAutoConfiguration.class, WebClientAutoConfiguration.class,
						ProtevusAutoConfiguration.class, ScalingAutoConfiguration.class))
				.withBean(ReactorResourceFactory.class)
				.withUserConfiguration(HelloConfiguration.class)
				.withBean("load", ScalingSignal.class, () -> ScalingSignal.of("load", ScalingSignal.RATIO, load::get))
				.withPropertyValues("server.port=0", "protevus.scaling.targets.load=0.5",
						"protevus.scaling.interval=50ms", "protevus.scaling.webhook.url=" + url(),
						"protevus.scaling.webhook.timeout=60s")
				.run((context) -> {
					assertThat(received.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
					// The webhook holds its first post for up to a minute; requests and
					// samples go on.
					load.set(1.0);
					ScalingAdvisor advisor = context.getBean(ScalingAdvisor.class);
					await().until(() -> advisor.latest().horizontal().desiredReplicas() == 2);
					int port = ((ReactiveWebServerApplicationContext) context.getSourceApplicationContext())
						.getWebServer()
						.getPort();
					WebClient client = WebClient.create("http://localhost:" + port);
					for (int i = 0; i < 20; i++) {
						assertThat(client.get()
							.uri("/hello")
							.retrieve()
							.bodyToMono(String.class)
							.block(Duration.ofSeconds(5))).isEqualTo("hello");
					}
					assertThat(release.getCount()).as("the webhook is still hanging").isEqualTo(1);
				});
		}
		finally {
			release.countDown();
		}
	}

	private void startServer(HttpHandler handler) throws IOException {
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.server.createContext("/hook", handler);
		this.server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
		this.server.start();
	}

	private String url() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort() + "/hook";
	}

	private static void respond(HttpExchange exchange, int status) throws IOException {
		exchange.sendResponseHeaders(status, -1);
		exchange.close();
	}

	@Configuration(proxyBeanMethods = false)
	static class HelloConfiguration {

		@Bean
		RouterFunction<ServerResponse> hello() {
			return RouterFunctions.route(RequestPredicates.GET("/hello"),
					(request) -> ServerResponse.ok().bodyValue("hello"));
		}

	}

}
