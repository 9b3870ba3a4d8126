package dev.protevus.boot.autoconfigure.async;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.protevus.boot.async.EventLoopLag;
import dev.protevus.boot.async.EventLoopLagMonitor;
import dev.protevus.boot.autoconfigure.ProtevusAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import reactor.netty.resources.LoopResources;

import org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.web.reactive.HttpHandlerAutoConfiguration;
import org.springframework.boot.autoconfigure.web.reactive.ReactiveWebServerFactoryAutoConfiguration;
import org.springframework.boot.autoconfigure.web.reactive.WebFluxAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.web.reactive.context.AnnotationConfigReactiveWebServerApplicationContext;
import org.springframework.boot.web.reactive.context.ReactiveWebServerApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class EventLoopLagTests {

	private static final Duration STALL = Duration.ofSeconds(1);

	private final ReactiveWebApplicationContextRunner contextRunner = new ReactiveWebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class, ProtevusAutoConfiguration.class,
				AsyncAutoConfiguration.class, AsyncMetricsAutoConfiguration.class))
		.withBean(ReactorResourceFactory.class);

	@Test
	void lagOfAStalledServerEventLoopShowsInMaxAndP99AndFallsAfterTheWindow() throws Exception {
		// p99 is taken across all loops: keep the window below 100 probes, so that the
		// one
		// probe that waited behind the stall is the top percent.
		int loops = LoopResources.DEFAULT_IO_WORKER_COUNT;
		Duration interval = Duration.ofMillis(40L * loops);
		new ReactiveWebApplicationContextRunner(AnnotationConfigReactiveWebServerApplicationContext::new)
			.withConfiguration(AutoConfigurations.of(ReactiveWebServerFactoryAutoConfiguration.class,
					HttpHandlerAutoConfiguration.class, WebFluxAutoConfiguration.class, MetricsAutoConfiguration.class,
					ProtevusAutoConfiguration.class, AsyncAutoConfiguration.class, AsyncMetricsAutoConfiguration.class))
			.withBean(SimpleMeterRegistry.class)
			.withUserConfiguration(SpinConfiguration.class)
			.withPropertyValues("server.port=0", "protevus.async.event-loop-lag.interval=" + interval.toMillis() + "ms",
					"protevus.async.event-loop-lag.window=2s")
			.run((context) -> {
				EventLoopLag lag = context.getBean(EventLoopLag.class);
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				Spinner spinner = context.getBean(Spinner.class);
				int port = ((ReactiveWebServerApplicationContext) context.getSourceApplicationContext()).getWebServer()
					.getPort();
				CompletableFuture<HttpResponse<String>> response = HttpClient.newHttpClient()
					.sendAsync(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/spin")).build(),
							HttpResponse.BodyHandlers.ofString());
				try {
					// A probe has waited for the stalled loop this long, so its lag will
					// be
					// at least that.
					await().atMost(Duration.ofSeconds(10)).until(() -> lag.max().compareTo(STALL) >= 0);
					assertThat(gauge(registry, "max")).isGreaterThanOrEqualTo(seconds(STALL));
				}
				finally {
					spinner.release();
				}
				assertThat(response.get(10, TimeUnit.SECONDS).body()).isEqualTo("spun");
				await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
					assertThat(lag.p99()).isGreaterThanOrEqualTo(STALL);
					assertThat(gauge(registry, "p99")).isGreaterThanOrEqualTo(seconds(STALL));
				});
				assertThat(lag.max()).isGreaterThanOrEqualTo(STALL);
				await().atMost(Duration.ofSeconds(10))
					.until(() -> lag.max().compareTo(Duration.ofMillis(500)) < 0
							&& lag.p99().compareTo(Duration.ofMillis(500)) < 0);
			});
	}

	@Test
	void backsOffToTheApplicationsEventLoopLag() {
		this.contextRunner.withBean(SimpleMeterRegistry.class)
			.withUserConfiguration(OwnEventLoopLagConfiguration.class)
			.run((context) -> {
				assertThat(context).hasSingleBean(EventLoopLag.class)
					.doesNotHaveBean(EventLoopLagMonitor.class)
					.getBean(EventLoopLag.class)
					.isSameAs(context.getBean(OwnEventLoopLagConfiguration.class).lag);
				assertThat(gauge(context.getBean(MeterRegistry.class), "max"))
					.as("the meters publish the application's")
					.isEqualTo(0.25);
			});
	}

	@Test
	void monitorsTheEventLoopsOfAReactiveWebApplication() {
		this.contextRunner.withBean(SimpleMeterRegistry.class).run((context) -> {
			assertThat(context).hasSingleBean(EventLoopLag.class);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.get("protevus.eventloop.lag").gauges()).as("one number untagged").hasSize(1);
			assertThat(registry.get("protevus.eventloop.lag.p99").gauges()).hasSize(1);
		});
	}

	@Test
	void doesNotMonitorOutsideAReactiveWebApplication() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ProtevusAutoConfiguration.class, AsyncAutoConfiguration.class))
			.withBean(ReactorResourceFactory.class)
			.run((context) -> assertThat(context).doesNotHaveBean(EventLoopLag.class));
	}

	@Test
	void monitorCanBeSwitchedOff() {
		this.contextRunner.withPropertyValues("protevus.async.event-loop-lag.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(EventLoopLag.class));
	}

	@Test
	void nonPositiveIntervalFailsStartUpNamingTheProperty() {
		AsyncAutoConfigurationTests.assertFailure(
				this.contextRunner.withPropertyValues("protevus.async.event-loop-lag.interval=0ms"),
				"protevus.async.event-loop-lag.interval", "positive duration");
	}

	@Test
	void windowShorterThanTheIntervalFailsStartUpNamingTheProperty() {
		AsyncAutoConfigurationTests.assertFailure(
				this.contextRunner.withPropertyValues("protevus.async.event-loop-lag.interval=1s",
						"protevus.async.event-loop-lag.window=500ms"),
				"protevus.async.event-loop-lag.window", "at least 'protevus.async.event-loop-lag.interval'");
	}

	private static double gauge(MeterRegistry registry, String stat) {
		return registry.get("max".equals(stat) ? "protevus.eventloop.lag" : "protevus.eventloop.lag." + stat)
			.gauge()
			.value();
	}

	private static double seconds(Duration duration) {
		return duration.toNanos() / 1e9;
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnEventLoopLagConfiguration {

		final EventLoopLag lag = new EventLoopLag() {

			@Override
			public Duration max() {
				return Duration.ofMillis(250);
			}

			@Override
			public Duration p99() {
				return Duration.ofMillis(50);
			}

		};

		@Bean
		EventLoopLag ownEventLoopLag() {
			return this.lag;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class SpinConfiguration {

		@Bean
		Spinner spinner() {
			return new Spinner();
		}

		@Bean
		RouterFunction<ServerResponse> spinRoute(Spinner spinner) {
			return RouterFunctions.route(RequestPredicates.GET("/spin"), (request) -> {
				spinner.spin();
				return ServerResponse.ok().bodyValue("spun");
			});
		}

	}

	/**
	 * Holds the thread that calls {@link #spin()} without blocking (which BlockHound
	 * would refuse on an event loop) until released, or for ten seconds at most.
	 */
	static class Spinner {

		private volatile boolean released;

		void spin() {
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
			while (!this.released && System.nanoTime() < deadline) {
				// Not even Thread.onSpinWait(), which BlockHound counts as blocking.
			}
		}

		void release() {
			this.released = true;
		}

	}

}
