package dev.protevus.boot.autoconfigure.scaling;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import dev.protevus.boot.actuate.scaling.ScalingEndpoint;
import dev.protevus.boot.actuate.scaling.ScalingMeterBinder;
import dev.protevus.boot.autoconfigure.BootAutoConfigurations;
import dev.protevus.boot.autoconfigure.ProtevusAutoConfiguration;
import dev.protevus.boot.autoconfigure.StartupFailures;
import dev.protevus.boot.data.PoolUtilization;
import dev.protevus.boot.scaling.RequestLatencies;
import dev.protevus.boot.scaling.RequestLatencyObservationHandler;
import dev.protevus.boot.scaling.ScalingAdvisor;
import dev.protevus.boot.scaling.ScalingLoadShedder;
import dev.protevus.boot.scaling.ScalingRecommendation;
import dev.protevus.boot.scaling.ScalingSignal;
import dev.protevus.boot.scaling.ScalingSignals;
import dev.protevus.boot.scaling.ScalingVerdict;
import dev.protevus.boot.scaling.ScalingWebhook;
import dev.protevus.boot.scaling.VerticalRecommender;
import dev.protevus.boot.task.BackgroundScheduler;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.http.server.reactive.MockServerHttpResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ScalingAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ProtevusAutoConfiguration.class, ScalingAutoConfiguration.class,
				ScalingMetricsAutoConfiguration.class, ScalingEndpointAutoConfiguration.class))
		.withPropertyValues("protevus.scaling.interval=50ms");

	@Test
	void samplesTheBuiltInSignalsOnTheBackgroundScheduler() {
		AtomicReference<String> thread = new AtomicReference<>();
		this.contextRunner
			.withBean("threadSignal", ScalingSignal.class, () -> ScalingSignal.of("thread", ScalingSignal.COUNT, () -> {
				thread.set(Thread.currentThread().getName());
				return 1;
			}))
			.run((context) -> {
				ScalingAdvisor advisor = context.getBean(ScalingAdvisor.class);
				await().until(() -> advisor.latest() != null);
				assertThat(thread.get()).startsWith(BackgroundScheduler.THREAD_NAME_PREFIX);
				assertThat(advisor.signals()).extracting(ScalingSignal::name)
					.contains("thread", ScalingSignals.CPU, ScalingSignals.SYSTEM_CPU, ScalingSignals.HEAP_AFTER_GC,
							ScalingSignals.GC_PAUSE, ScalingSignals.EVENT_LOOP_LAG, ScalingSignals.IN_FLIGHT,
							ScalingSignals.REQUEST_RATE, ScalingSignals.P99_LATENCY, ScalingSignals.POOL_UTILIZATION,
							ScalingSignals.POOL_PENDING, ScalingSignals.WORKER_QUEUE);
			});
	}

	@Test
	void bindsTheIssuesPolicy() {
		this.contextRunner
			.withPropertyValues("protevus.scaling.targets.cpu=0.70", "protevus.scaling.targets.pool-utilization=0.80",
					"protevus.scaling.targets.event-loop-lag=50ms", "protevus.scaling.targets.p99-latency=300ms",
					"protevus.scaling.targets.queue-lag=30s", "protevus.scaling.replicas.current=3",
					"protevus.scaling.replicas.min=1", "protevus.scaling.replicas.max=20",
					"protevus.scaling.tolerance=0.10", "protevus.scaling.scale-down-stabilization=5m",
					"protevus.scaling.schedule[0].cron=0 0 8 * * MON-FRI",
					"protevus.scaling.schedule[0].min-replicas=4", "protevus.scaling.schedule[1].cron=0 0 20 * * *",
					"protevus.scaling.schedule[1].min-replicas=1", "protevus.scaling.shed.enabled=true",
					"protevus.scaling.shed.threshold=1.5")
			.run((context) -> {
				assertThat(context).hasNotFailed().hasSingleBean(ScalingLoadShedder.class);
				ScalingAdvisor advisor = context.getBean(ScalingAdvisor.class);
				ScalingRecommendation recommendation = advisor.sample();
				assertThat(recommendation.horizontal().currentReplicas()).isEqualTo(3);
				Map<String, Double> targets = recommendation.horizontal()
					.signals()
					.stream()
					.filter((reading) -> reading.target() != null)
					.collect(Collectors.toMap((reading) -> reading.name(), (reading) -> reading.target()));
				assertThat(targets).containsEntry("cpu", 0.70)
					.containsEntry("pool-utilization", 0.80)
					.containsEntry("event-loop-lag", 0.05)
					.containsEntry("p99-latency", 0.3);
				assertThat(recommendation.horizontal().stabilization().window()).hasMinutes(5);
			});
	}

	@Test
	void anApplicationSignalVotesAndReplacesTheBuiltInOfItsName() {
		this.contextRunner.withUserConfiguration(BusyPoolConfiguration.class)
			.withPropertyValues("protevus.scaling.targets.pool-utilization=0.5",
					"protevus.scaling.targets.orders-backlog=100", "protevus.scaling.replicas.current=2")
			.run((context) -> {
				ScalingRecommendation recommendation = context.getBean(ScalingAdvisor.class).sample();
				assertThat(recommendation.horizontal().desiredReplicas()).isEqualTo(6);
				assertThat(recommendation.horizontal().verdict()).isEqualTo(ScalingVerdict.SCALE_OUT);
				assertThat(recommendation.horizontal().decidedBy()).isEqualTo("orders-backlog");
				assertThat(recommendation.horizontal().signals())
					.filteredOn((reading) -> reading.name().equals("pool-utilization"))
					.singleElement()
					.satisfies((reading) -> assertThat(reading.value()).isEqualTo(0.9));
				assertThat(context.getBean(ScalingAdvisor.class).signals())
					.filteredOn((signal) -> signal.name().equals("cpu"))
					.hasSize(1);
			});
	}

	@Test
	void readsThePoolThroughPoolUtilization() {
		this.contextRunner.withBean(PoolUtilization.class, () -> new FixedPool(6, 2, 3, 10))
			.withPropertyValues("protevus.scaling.targets.pool-utilization=0.3", "protevus.scaling.replicas.current=1")
			.run((context) -> {
				ScalingRecommendation recommendation = context.getBean(ScalingAdvisor.class).sample();
				assertThat(recommendation.horizontal().signals()).anySatisfy((reading) -> {
					assertThat(reading.name()).isEqualTo("pool-pending");
					assertThat(reading.value()).isEqualTo(3.0);
				});
				assertThat(recommendation.horizontal().desiredReplicas()).isEqualTo(2);
			});
	}

	@Test
	void readsHttpServerRequestsFromMicrometerAndTheirLatenciesFromTheirObservations() {
		this.contextRunner.withBean(SimpleMeterRegistry.class)
			.withConfiguration(BootAutoConfigurations.metrics())
			.withPropertyValues("protevus.scaling.targets.p99-latency=100ms")
			.run((context) -> {
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				ScalingAdvisor advisor = context.getBean(ScalingAdvisor.class);
				RequestLatencies latencies = context.getBean(RequestLatencies.class);
				for (int i = 0; i < 100; i++) {
					latencies.record(java.time.Duration.ofMillis((i < 90) ? 10 : 400).toNanos());
				}
				registry.more().longTaskTimer("http.server.requests.active").start();
				ScalingRecommendation recommendation = advisor.sample();
				Map<String, Double> values = recommendation.horizontal()
					.signals()
					.stream()
					.filter((reading) -> reading.value() != null)
					.collect(Collectors.toMap((reading) -> reading.name(), (reading) -> reading.value()));
				assertThat(values.get("p99-latency")).isBetween(0.4, 0.43);
				assertThat(values.get("in-flight")).isEqualTo(1.0);
				assertThat(recommendation.horizontal().verdict()).isEqualTo(ScalingVerdict.SCALE_OUT);
			});
	}

	@Test
	void latenciesComeFromTheServersRequestObservations() {
		this.contextRunner.withBean(SimpleMeterRegistry.class)
			.withConfiguration(BootAutoConfigurations.metrics())
			.run((context) -> {
				ObservationRegistry observations = ObservationRegistry.create();
				observations.observationConfig()
					.observationHandler(context.getBean(RequestLatencyObservationHandler.class));
				RequestLatencies latencies = context.getBean(RequestLatencies.class);
				assertThat(latencies.percentileSeconds(0.99)).isNaN();
				Observation.createNotStarted("other", observations).start().stop();
				assertThat(latencies.percentileSeconds(0.99)).isNaN();
				ServerRequestObservationContext request = new ServerRequestObservationContext(
						MockServerHttpRequest.get("/books").build(), new MockServerHttpResponse(), Map.of());
				Observation.createNotStarted("http.server.requests", () -> request, observations).start().stop();
				assertThat(latencies.percentileSeconds(0.99)).isPositive().isLessThan(10);
			});
	}

	@Test
	void usesTheApplicationsOwnRequestLatencies() {
		RequestLatencies own = new RequestLatencies();
		this.contextRunner.withBean(SimpleMeterRegistry.class)
			.withConfiguration(BootAutoConfigurations.metrics())
			.withBean(RequestLatencies.class, () -> own)
			.withBean(RequestLatencyObservationHandler.class, () -> new RequestLatencyObservationHandler(own))
			.run((context) -> {
				assertThat(context).getBean(RequestLatencies.class).isSameAs(own);
				assertThat(context).hasSingleBean(RequestLatencyObservationHandler.class);
				own.record(2_000_000);
				assertThat(context.getBean(ScalingAdvisor.class)
					.sample()
					.horizontal()
					.signals()
					.stream()
					.filter((reading) -> reading.name().equals(ScalingSignals.P99_LATENCY))
					.findFirst()
					.orElseThrow()
					.value()).isBetween(0.002, 0.0022);
			});
	}

	@Test
	void publishesTheScalingGauges() {
		this.contextRunner.withBean(SimpleMeterRegistry.class)
			.withConfiguration(BootAutoConfigurations.metrics())
			.withBean(PoolUtilization.class, () -> new FixedPool(8, 2, 0, 10))
			.withPropertyValues("protevus.scaling.targets.pool-utilization=0.4", "protevus.scaling.replicas.current=2")
			.run((context) -> {
				assertThat(context).hasSingleBean(ScalingMeterBinder.class);
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				context.getBean(ScalingAdvisor.class).sample();
				assertThat(registry.get("protevus.scaling.desired.replicas").gauge().value()).isEqualTo(4);
				assertThat(
						registry.get("protevus.scaling.utilization").tag("signal", "pool-utilization").gauge().value())
					.isEqualTo(2.0);
			});
	}

	@Test
	void backsOffToTheApplicationsAdvisor() {
		this.contextRunner.withUserConfiguration(OwnAdvisorConfiguration.class)
			.run((context) -> assertThat(context).hasSingleBean(ScalingAdvisor.class)
				.getBean(ScalingAdvisor.class)
				.isSameAs(context.getBean(OwnAdvisorConfiguration.class).advisor));
	}

	@Test
	void isOffWhenDisabled() {
		this.contextRunner.withPropertyValues("protevus.scaling.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(ScalingAdvisor.class));
		this.contextRunner.withPropertyValues("protevus.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(ScalingAdvisor.class));
	}

	@Test
	void shedsOnlyWhenAskedAndPostsOnlyToAConfiguredWebhook() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(ScalingLoadShedder.class)
			.doesNotHaveBean(ScalingWebhook.class)
			.hasSingleBean(VerticalRecommender.class));
		this.contextRunner.withPropertyValues("protevus.scaling.webhook.url=http://localhost:1/hook")
			.run((context) -> assertThat(context).hasSingleBean(ScalingWebhook.class));
		this.contextRunner
			.withClassLoader(new FilteredClassLoader(io.github.resilience4j.reactor.retry.RetryOperator.class))
			.withPropertyValues("protevus.scaling.webhook.url=http://localhost:1/hook")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(ScalingWebhook.class));
		this.contextRunner.withPropertyValues("protevus.scaling.vertical.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(VerticalRecommender.class));
	}

	@Test
	void worksWithoutMicrometer() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(MeterRegistry.class))
			.withPropertyValues("protevus.scaling.targets.cpu=0.7")
			.run((context) -> {
				assertThat(context).hasNotFailed().doesNotHaveBean(ScalingMeterBinder.class);
				assertThat(context.getBean(ScalingAdvisor.class).sample().horizontal().decidedBy()).isEqualTo("none");
			});
	}

	@Test
	void theEndpointExistsOnlyWhenExposed() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(ScalingEndpoint.class));
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=scaling")
			.run((context) -> assertThat(context).hasSingleBean(ScalingEndpoint.class));
	}

	@ParameterizedTest(name = "{0}={1}")
	@CsvSource(delimiter = '|', textBlock = """
			protevus.scaling.targets.cpu                 | 0          | protevus.scaling.targets.cpu
			protevus.scaling.targets.cpu                 | -0.5       | protevus.scaling.targets.cpu
			protevus.scaling.targets.cpu                 | lots       | protevus.scaling.targets.cpu
			protevus.scaling.targets.event-loop-lag      | 0ms        | protevus.scaling.targets.event-loop-lag
			protevus.scaling.targets.no-such-signal      | 0.5        | protevus.scaling.targets.no-such-signal
			protevus.scaling.replicas.min                | 30         | protevus.scaling.replicas.min
			protevus.scaling.replicas.max                | 0          | protevus.scaling.replicas.max
			protevus.scaling.replicas.current            | 0          | protevus.scaling.replicas.current
			protevus.scaling.schedule[0].cron            | 0 0 25 * * * | protevus.scaling.schedule[0].cron
			protevus.scaling.schedule[0].cron            | every day  | protevus.scaling.schedule[0].cron
			protevus.scaling.tolerance                   | -0.1       | protevus.scaling.tolerance
			protevus.scaling.interval                    | 0s         | protevus.scaling.interval
			protevus.scaling.vertical.cpu-percentile     | 1.5        | protevus.scaling.vertical.cpu-percentile
			""")
	void invalidConfigurationFailsStartUpNamingTheKey(String key, String value, String named) {
		this.contextRunner.withPropertyValues(key + "=" + value, "protevus.scaling.shed.enabled=true")
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = StartupFailures.analyze(context.getStartupFailure());
				assertThat(analysis).isNotNull();
				assertThat(analysis.getDescription()).contains("'" + named + "'");
				assertThat(analysis.getAction()).contains(named);
			});
	}

	@Test
	void theMinimumAboveTheMaximumFailsNamingBoth() {
		this.contextRunner.withPropertyValues("protevus.scaling.replicas.min=5", "protevus.scaling.replicas.max=2")
			.run((context) -> {
				FailureAnalysis analysis = StartupFailures.analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("protevus.scaling.replicas.min")
					.contains("protevus.scaling.replicas.max");
			});
	}

	@Test
	void anUnknownSignalNameListsTheKnownOnes() {
		this.contextRunner.withPropertyValues("protevus.scaling.targets.cpus=0.5").run((context) -> {
			FailureAnalysis analysis = StartupFailures.analyze(context.getStartupFailure());
			assertThat(analysis.getAction()).contains("cpu", "pool-utilization", "queue-lag");
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class BusyPoolConfiguration {

		@Bean
		ScalingSignal poolSignal() {
			return ScalingSignal.of("pool-utilization", ScalingSignal.RATIO, () -> 0.9);
		}

		@Bean
		ScalingSignal ordersBacklog() {
			return ScalingSignal.of("orders-backlog", ScalingSignal.COUNT, () -> 300);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnAdvisorConfiguration {

		final ScalingAdvisor advisor = new ScalingAdvisor(List.of(),
				new dev.protevus.boot.scaling.HorizontalRecommender(new dev.protevus.boot.scaling.ScalingPolicy(
						Map.of(), 1, 1, 0.1, java.time.Duration.ZERO, List.of()), java.time.Clock.systemUTC()),
				null, 1, java.time.Clock.systemUTC(), (event) -> {
				}, List.of(), new BackgroundScheduler(1, 1), java.time.Duration.ofHours(1));

		@Bean
		ScalingAdvisor ownAdvisor() {
			return this.advisor;
		}

	}

	record FixedPool(int acquired, int idle, int pending, int maxSize) implements PoolUtilization {

	}

}
