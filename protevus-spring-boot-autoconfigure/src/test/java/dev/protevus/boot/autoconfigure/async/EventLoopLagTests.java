package dev.protevus.boot.autoconfigure.async;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.protevus.boot.async.EventLoopLag;
import dev.protevus.boot.autoconfigure.ProtevusAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.util.concurrent.DefaultEventExecutor;
import org.junit.jupiter.api.Test;

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

	private static final String MONITOR_THREAD = "protevus-eventloop-lag";

	private final ReactiveWebApplicationContextRunner contextRunner = new ReactiveWebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ProtevusAutoConfiguration.class, AsyncAutoConfiguration.class,
				AsyncMetricsAutoConfiguration.class))
		.withBean(ReactorResourceFactory.class);

	@Test
	void lagRisesWhileTheServersEventLoopBusySpinsAndFallsAfterTheWindow() throws Exception {
		new ReactiveWebApplicationContextRunner(AnnotationConfigReactiveWebServerApplicationContext::new)
			.withConfiguration(AutoConfigurations.of(ReactiveWebServerFactoryAutoConfiguration.class,
					HttpHandlerAutoConfiguration.class, WebFluxAutoConfiguration.class, ProtevusAutoConfiguration.class,
					AsyncAutoConfiguration.class, AsyncMetricsAutoConfiguration.class))
			.withBean(SimpleMeterRegistry.class)
			.withUserConfiguration(SpinConfiguration.class)
			.withPropertyValues("server.port=0", "protevus.async.event-loop-lag.interval=20ms",
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
					await().atMost(Duration.ofSeconds(10)).until(() -> lag.max().compareTo(Duration.ofSeconds(1)) >= 0);
					assertThat(registry.get("protevus.eventloop.lag").tag("stat", "max").gauge().value())
						.isGreaterThanOrEqualTo(1.0);
					assertThat(registry.get("protevus.eventloop.lag").tag("stat", "p99").gauge().value())
						.isGreaterThanOrEqualTo(0.0);
				}
				finally {
					spinner.release();
				}
				assertThat(response.get(10, TimeUnit.SECONDS).body()).isEqualTo("spun");
				await().atMost(Duration.ofSeconds(10)).until(() -> lag.max().compareTo(Duration.ofMillis(500)) < 0);
				assertThat(lag.p99()).isLessThanOrEqualTo(lag.max());
			});
		await().until(noMonitorThread());
	}

	@Test
	void slidingWindowReportsTheStallThenForgetsIt() {
		DefaultEventExecutor loop = new DefaultEventExecutor();
		EventLoopLagMonitor monitor = new EventLoopLagMonitor(() -> List.of(loop), Duration.ofMillis(10),
				Duration.ofMillis(500));
		Spinner spinner = new Spinner();
		monitor.start();
		try {
			loop.execute(spinner::spin);
			await().atMost(Duration.ofSeconds(10)).until(() -> monitor.max().compareTo(Duration.ofMillis(300)) >= 0);
			spinner.release();
			await().atMost(Duration.ofSeconds(10)).until(() -> monitor.p99().compareTo(Duration.ofMillis(300)) >= 0);
			await().atMost(Duration.ofSeconds(10))
				.until(() -> monitor.max().compareTo(Duration.ofMillis(100)) < 0
						&& monitor.p99().compareTo(Duration.ofMillis(100)) < 0);
		}
		finally {
			spinner.release();
			monitor.stop();
			loop.shutdownGracefully(0, 0, TimeUnit.SECONDS);
		}
		assertThat(monitor.isRunning()).isFalse();
		await().until(noMonitorThread());
	}

	@Test
	void monitorsTheEventLoopsOfAReactiveWebApplication() {
		this.contextRunner.withBean(SimpleMeterRegistry.class).run((context) -> {
			assertThat(context).hasSingleBean(EventLoopLag.class);
			assertThat(context.getBean(MeterRegistry.class).get("protevus.eventloop.lag").gauges()).hasSize(2);
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

	private static Callable<Boolean> noMonitorThread() {
		return () -> Thread.getAllStackTraces().keySet().stream().noneMatch((t) -> t.getName().equals(MONITOR_THREAD));
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
