package dev.protevus.boot.autoconfigure.async;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.protevus.boot.actuate.async.WorkerPoolMeters;
import dev.protevus.boot.async.ExecutorWorkerPools;
import dev.protevus.boot.async.OffloadBeanPostProcessor;
import dev.protevus.boot.async.WorkerPoolExecutor;
import dev.protevus.boot.async.WorkerPoolProblemMapper;
import dev.protevus.boot.async.WorkerPools;
import dev.protevus.boot.autoconfigure.ProtevusAutoConfiguration;
import dev.protevus.boot.web.ProblemMapper;
import dev.protevus.boot.autoconfigure.StartupFailures;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import reactor.core.scheduler.Schedulers;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.AbstractApplicationContextRunner;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.ProblemDetail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

class AsyncAutoConfigurationTests {

	private static final int PROCESSORS = Runtime.getRuntime().availableProcessors();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ProtevusAutoConfiguration.class, AsyncAutoConfiguration.class,
				AsyncMetricsAutoConfiguration.class));

	@Test
	void providesTheCpuAndBlockingPoolsByDefault() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(WorkerPools.class).hasSingleBean(ExecutorWorkerPools.class);
			assertPool(context, "cpu", PROCESSORS, 1_000, Duration.ofSeconds(60));
			assertPool(context, "blocking", 10 * PROCESSORS, 10_000, Duration.ofSeconds(60));
		});
	}

	@Test
	void settingsOfTheDefaultPoolsReplaceTheirDefaultsKeyByKey() {
		this.contextRunner
			.withPropertyValues("protevus.async.pools.cpu.threads=3", "protevus.async.pools.blocking.queue-capacity=7",
					"protevus.async.pools.blocking.keep-alive=5s")
			.run((context) -> {
				assertPool(context, "cpu", 3, 1_000, Duration.ofSeconds(60));
				assertPool(context, "blocking", 10 * PROCESSORS, 7, Duration.ofSeconds(5));
			});
	}

	@Test
	void addsTheApplicationsOwnPoolsWithTheCpuPoolsDefaults() {
		this.contextRunner
			.withPropertyValues("protevus.async.pools.reports.threads=2",
					"protevus.async.pools.reports.queue-capacity=50", "protevus.async.pools.reports.keep-alive=90s",
					"protevus.async.pools.thumbnails.threads=1")
			.run((context) -> {
				assertPool(context, "reports", 2, 50, Duration.ofSeconds(90));
				assertPool(context, "thumbnails", 1, 1_000, Duration.ofSeconds(60));
				assertPool(context, "cpu", PROCESSORS, 1_000, Duration.ofSeconds(60));
			});
	}

	@Test
	void poolThreadsAreNamedAfterThePool() {
		this.contextRunner.withPropertyValues("protevus.async.pools.reports.threads=2").run((context) -> {
			WorkerPools pools = context.getBean(WorkerPools.class);
			assertThat(pools.offload("reports", () -> Thread.currentThread().getName()).block())
				.matches("protevus-reports-\\d+");
			assertThat(pools.offload("cpu", () -> Thread.currentThread().getName()).block())
				.matches("protevus-cpu-\\d+");
		});
	}

	@Test
	void askingForAnUnknownPoolFailsNamingThePools() {
		this.contextRunner.withPropertyValues("protevus.async.pools.reports.threads=2")
			.run((context) -> assertThatIllegalArgumentException()
				.isThrownBy(() -> context.getBean(WorkerPools.class).scheduler("reprots"))
				.withMessage("There is no worker pool named 'reprots'; the pools are cpu, blocking, reports"));
	}

	@Test
	void backsOffToTheApplicationsWorkerPools() {
		this.contextRunner.withBean(SimpleMeterRegistry.class)
			.withUserConfiguration(OwnWorkerPoolsConfiguration.class)
			.run((context) -> assertThat(context).hasSingleBean(WorkerPools.class)
				.doesNotHaveBean(ExecutorWorkerPools.class)
				.doesNotHaveBean(WorkerPoolMeters.class)
				.hasSingleBean(OffloadBeanPostProcessor.class)
				.getBean(WorkerPools.class)
				.isSameAs(context.getBean(OwnWorkerPoolsConfiguration.class).pools));
	}

	@Test
	void contributesTheFullPoolProblemToAReactiveWebApplication() {
		new ReactiveWebApplicationContextRunner().withConfiguration(AutoConfigurations.of(AsyncAutoConfiguration.class))
			.run((context) -> assertThat(context).hasSingleBean(WorkerPoolProblemMapper.class));
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(ProblemMapper.class));
	}

	@Test
	void fullPoolProblemBacksOffToTheApplicationsMapper() {
		new ReactiveWebApplicationContextRunner().withConfiguration(AutoConfigurations.of(AsyncAutoConfiguration.class))
			.withUserConfiguration(OwnProblemMapperConfiguration.class)
			.run((context) -> assertThat(context).hasSingleBean(WorkerPoolProblemMapper.class)
				.getBean(WorkerPoolProblemMapper.class)
				.isSameAs(context.getBean(OwnProblemMapperConfiguration.class).mapper));
	}

	@Test
	void fullPoolProblemNeedsSpringWeb() {
		new ReactiveWebApplicationContextRunner().withConfiguration(AutoConfigurations.of(AsyncAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader(ProblemDetail.class))
			.run((context) -> assertThat(context).hasSingleBean(WorkerPools.class)
				.doesNotHaveBean(WorkerPoolProblemMapper.class));
	}

	@Test
	void backsOffWhenProtevusIsDisabled() {
		this.contextRunner.withPropertyValues("protevus.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(WorkerPools.class)
				.doesNotHaveBean(OffloadBeanPostProcessor.class));
	}

	@Test
	void worksWithoutMicrometer() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(MeterRegistry.class)).run((context) -> {
			assertThat(context).hasSingleBean(WorkerPools.class).doesNotHaveBean(WorkerPoolMeters.class);
			assertThat(context.getBean(WorkerPools.class).offload("cpu", () -> "done").block()).isEqualTo("done");
		});
	}

	@Test
	void bindsMetersOfEveryPool() {
		this.contextRunner.withBean(SimpleMeterRegistry.class)
			.withPropertyValues("protevus.async.pools.tiny.threads=1", "protevus.async.pools.tiny.queue-capacity=1")
			.run((context) -> {
				WorkerPools pools = context.getBean(WorkerPools.class);
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertThat(pools.offload("cpu", () -> "done").block()).isEqualTo("done");
				await().untilAsserted(() -> assertThat(
						registry.get("executor.completed").tag("name", "cpu").functionCounter().count())
					.isEqualTo(1));
				assertThat(registry.get("executor").tag("name", "cpu").timer().count()).isEqualTo(1);
				assertThat(registry.get("executor.idle").tag("name", "cpu").timer().count()).isEqualTo(1);
				assertThat(registry.get("executor.pool.max").tag("name", "blocking").gauge().value())
					.isEqualTo(10 * PROCESSORS);
				CountDownLatch release = new CountDownLatch(1);
				HeldPools.hold(pools, "tiny", release);
				pools.offload("tiny", () -> "queued").subscribe();
				pools.offload("tiny", () -> "rejected").subscribe((value) -> {
				}, (error) -> {
				});
				assertThat(registry.get("executor.active").tag("name", "tiny").gauge().value()).isEqualTo(1);
				assertThat(registry.get("executor.queued").tag("name", "tiny").gauge().value()).isEqualTo(1);
				assertThat(registry.get("protevus.executor.rejected").tag("name", "tiny").functionCounter().count())
					.isEqualTo(1);
				assertThat(registry.get("protevus.executor.rejected").tag("name", "blocking").functionCounter().count())
					.isZero();
				assertThat(registry.find("executor.rejected").meters()).as("Micrometer's namespace").isEmpty();
				release.countDown();
				await().untilAsserted(() -> assertThat(
						registry.get("executor.completed").tag("name", "tiny").functionCounter().count())
					.isEqualTo(2));
			});
	}

	@Test
	void virtualPoolsRunOnVirtualThreadsFromJava21AndFailStartUpBefore() {
		ApplicationContextRunner runner = this.contextRunner
			.withPropertyValues("protevus.async.pools.reports.virtual=true", "protevus.async.pools.reports.threads=2");
		if (Runtime.version().feature() >= 21) {
			runner.run((context) -> {
				Thread thread = context.getBean(WorkerPools.class)
					.offload("reports", Thread::currentThread)
					.block(Duration.ofSeconds(5));
				assertThat(thread.getName()).matches("protevus-reports-\\d+");
				Method isVirtual = Thread.class.getMethod("isVirtual");
				assertThat(isVirtual.invoke(thread)).isEqualTo(true);
				assertThat(context.getBean(ExecutorWorkerPools.class).executor("reports").getMaximumPoolSize())
					.isEqualTo(2);
			});
		}
		else {
			assertFailure(runner, "protevus.async.pools.reports.virtual", "Java 21");
		}
	}

	@ParameterizedTest
	@CsvSource(delimiter = ';',
			value = { "protevus.async.pools.cpu.threads=0; protevus.async.pools.cpu.threads",
					"protevus.async.pools.blocking.threads=-4; protevus.async.pools.blocking.threads",
					"protevus.async.pools.reports.threads=0; protevus.async.pools.reports.threads",
					"protevus.async.pools.cpu.queue-capacity=0; protevus.async.pools.cpu.queue-capacity",
					"protevus.async.pools.reports.queue-capacity=-1; protevus.async.pools.reports.queue-capacity",
					"protevus.async.pools.reports.keep-alive=-1s; protevus.async.pools.reports.keep-alive",
					"protevus.async.shutdown.await-termination=-5s; protevus.async.shutdown.await-termination" })
	void invalidValueFailsStartUpNamingTheProperty(String property, String key) {
		assertFailure(this.contextRunner.withPropertyValues(property), key, "Set '" + key + "' to ");
	}

	private static void assertPool(AssertableApplicationContext context, String name, int threads, int queueCapacity,
			Duration keepAlive) {
		WorkerPoolExecutor executor = context.getBean(ExecutorWorkerPools.class).executor(name);
		assertThat(executor).as("pool %s", name).isNotNull();
		assertThat(executor.getCorePoolSize()).as("threads of %s", name).isEqualTo(threads);
		assertThat(executor.getMaximumPoolSize()).as("threads of %s", name).isEqualTo(threads);
		assertThat(executor.getQueue().remainingCapacity()).as("queue capacity of %s", name).isEqualTo(queueCapacity);
		assertThat(executor.getKeepAliveTime(TimeUnit.NANOSECONDS)).as("keep-alive of %s", name)
			.isEqualTo(keepAlive.toNanos());
	}

	static void assertFailure(AbstractApplicationContextRunner<?, ?, ?> runner, String property, String action) {
		runner.run((context) -> {
			assertThat(context.getStartupFailure()).as("start-up failure").isNotNull();
			FailureAnalysis analysis = StartupFailures.analyze(context.getStartupFailure());
			assertThat(analysis).as("failure analysis of %s", context.getStartupFailure()).isNotNull();
			assertThat(analysis.getDescription()).contains(property);
			assertThat(analysis.getAction()).contains(property).contains(action);
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnWorkerPoolsConfiguration {

		final WorkerPools pools = (pool) -> Schedulers.immediate();

		@Bean
		WorkerPools ownWorkerPools() {
			return this.pools;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnProblemMapperConfiguration {

		final WorkerPoolProblemMapper mapper = new WorkerPoolProblemMapper(Duration.ofSeconds(30));

		@Bean
		WorkerPoolProblemMapper ownWorkerPoolProblemMapper() {
			return this.mapper;
		}

	}

}
