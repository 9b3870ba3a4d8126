package dev.protevus.boot.autoconfigure.queue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import dev.protevus.boot.actuate.queue.QueueMeterBinder;
import dev.protevus.boot.actuate.queue.QueuesEndpoint;
import dev.protevus.boot.autoconfigure.BootAutoConfigurations;
import dev.protevus.boot.autoconfigure.ProtevusAutoConfiguration;
import dev.protevus.boot.autoconfigure.StartupFailures;
import dev.protevus.boot.autoconfigure.async.AsyncAutoConfiguration;
import dev.protevus.boot.queue.BrokerJobQueue;
import dev.protevus.boot.queue.Job;
import dev.protevus.boot.queue.JobQueue;
import dev.protevus.boot.queue.MemoryQueueBroker;
import dev.protevus.boot.queue.QueueBroker;
import dev.protevus.boot.queue.QueueListener;
import dev.protevus.boot.queue.QueueProblemMapper;
import dev.protevus.boot.queue.QueueUnavailableException;
import dev.protevus.boot.queue.RedisQueueBroker;
import dev.protevus.boot.scaling.ScalingSignal;
import dev.protevus.boot.scaling.ScalingSignals;
import dev.protevus.boot.test.TestRedis;
import dev.protevus.boot.web.Problem;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.Mockito.mock;

class QueueAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ProtevusAutoConfiguration.class, QueueAutoConfiguration.class,
				QueueMetricsAutoConfiguration.class, QueueEndpointAutoConfiguration.class))
		.withConfiguration(BootAutoConfigurations.jackson())
		.withConfiguration(BootAutoConfigurations.redis())
		.withPropertyValues("protevus.queue.serialization.allowed-packages=dev.protevus.boot.autoconfigure.queue");

	@Test
	void keepsJobsInMemoryWhenTheApplicationConfiguresNoRedis() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(MemoryQueueBroker.class)
				.doesNotHaveBean(RedisQueueBroker.class)
				.hasSingleBean(BrokerJobQueue.class)
				.hasSingleBean(QueueProblemMapper.class);
			JobQueue jobs = context.getBean(JobQueue.class);
			assertThat(jobs.publish("emails", new Email("a@example.com")).block(Duration.ofSeconds(5))).isNotBlank();
			assertThat(jobs.stats("emails").block(Duration.ofSeconds(5)).depth()).isOne();
		});
	}

	@Test
	void usesRedisStreamsWhenTheApplicationConfiguresRedis() {
		this.contextRunner.withPropertyValues(TestRedis.get().propertyValues())
			.run((context) -> assertThat(context).hasSingleBean(RedisQueueBroker.class)
				.doesNotHaveBean(MemoryQueueBroker.class));
	}

	@Test
	void keepsJobsInMemoryWhenAskedToDespiteRedis() {
		this.contextRunner.withPropertyValues(TestRedis.get().propertyValues())
			.withPropertyValues("protevus.queue.driver=memory")
			.run((context) -> assertThat(context).hasSingleBean(MemoryQueueBroker.class));
	}

	@Test
	void bindsPerQueueSettingsOverTheDefaults() {
		this.contextRunner
			.withPropertyValues("protevus.queue.defaults.concurrency=4", "protevus.queue.defaults.max-attempts=5",
					"protevus.queue.defaults.backoff.initial=1s", "protevus.queue.defaults.backoff.multiplier=2.0",
					"protevus.queue.defaults.backoff.max=5m", "protevus.queue.defaults.visibility-timeout=60s",
					"protevus.queue.defaults.max-length=1000000", "protevus.queue.queues.emails.concurrency=8",
					"protevus.queue.queues.reports.max-attempts=2",
					"protevus.queue.queues.reports.visibility-timeout=10m", "spring.application.name=shop")
			.run((context) -> {
				JobQueue jobs = context.getBean(JobQueue.class);
				assertThat(jobs.settings("emails").concurrency()).isEqualTo(8);
				assertThat(jobs.settings("emails").maxAttempts()).isEqualTo(5);
				assertThat(jobs.settings("reports").maxAttempts()).isEqualTo(2);
				assertThat(jobs.settings("reports").visibilityTimeout()).isEqualTo(Duration.ofMinutes(10));
				assertThat(jobs.settings("other").concurrency()).isEqualTo(4);
				assertThat(jobs.settings("other").backoff().delay(3)).isEqualTo(Duration.ofSeconds(4));
				assertThat(jobs.queues()).contains("emails", "reports");
				assertThat(context.getBean(QueueSettingsResolver.class).consumerGroup()).isEqualTo("shop");
				assertThat(((BrokerJobQueue) jobs).consumerName()).startsWith("shop-");
			});
	}

	@Test
	void failsToStartOnAZeroConcurrencyNamingTheKey() {
		assertStartupFailure("protevus.queue.queues.emails.concurrency=0", "protevus.queue.queues.emails.concurrency");
	}

	@Test
	void failsToStartOnANegativeBackoffNamingTheKey() {
		assertStartupFailure("protevus.queue.defaults.backoff.initial=-1s", "protevus.queue.defaults.backoff.initial");
	}

	@Test
	void failsToStartOnABackoffMultiplierBelowOneNamingTheKey() {
		assertStartupFailure("protevus.queue.defaults.backoff.multiplier=0.5",
				"protevus.queue.defaults.backoff.multiplier");
	}

	@Test
	void failsToStartOnAnUnknownDriverNamingTheKey() {
		assertStartupFailure("protevus.queue.driver=kafka", "protevus.queue.driver");
	}

	private void assertStartupFailure(String property, String key) {
		this.contextRunner.withPropertyValues(property).run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = StartupFailures.analyze(context.getStartupFailure());
			assertThat(analysis).isNotNull();
			assertThat(analysis.getDescription()).contains(key);
			assertThat(analysis.getAction()).contains(key);
		});
	}

	@Test
	void backsOffToTheApplicationsBroker() {
		this.contextRunner.withBean("myBroker", QueueBroker.class, () -> new MemoryQueueBroker((name) -> null))
			.run((context) -> assertThat(context).doesNotHaveBean(MemoryQueueBroker.class.getName())
				.getBean(QueueBroker.class)
				.isSameAs(context.getBean("myBroker")));
	}

	@Test
	void backsOffToTheApplicationsJobQueue() {
		JobQueue mine = mock(JobQueue.class);
		this.contextRunner.withBean(JobQueue.class, () -> mine)
			.run((context) -> assertThat(context).doesNotHaveBean(BrokerJobQueue.class)
				.getBean(JobQueue.class)
				.isSameAs(mine));
	}

	@Test
	void backsOffWhenSwitchedOff() {
		this.contextRunner.withPropertyValues("protevus.queue.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(JobQueue.class));
	}

	@Test
	void runsAVoidListenerOnAWorkerPoolWithTheJob() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(AsyncAutoConfiguration.class))
			.withUserConfiguration(Listeners.class)
			.run((context) -> {
				context.getBean(JobQueue.class).publish("emails", new Email("b@example.com")).block();
				Listeners listeners = context.getBean(Listeners.class);
				await().untilAsserted(() -> assertThat(listeners.thread.get()).startsWith("protevus-blocking"));
				assertThat(listeners.job.get().queue()).isEqualTo("emails");
				assertThat(listeners.email.get().to()).isEqualTo("b@example.com");
			});
	}

	@Test
	void runsAMonoListener() {
		this.contextRunner.withUserConfiguration(Listeners.class).run((context) -> {
			context.getBean(JobQueue.class).publish("reports", new Email("c@example.com")).block();
			await().untilAsserted(
					() -> assertThat(context.getBean(Listeners.class).report.get()).isEqualTo("c@example.com"));
		});
	}

	@Test
	void failsToStartOnAListenerWithAWrongSignature() {
		this.contextRunner.withUserConfiguration(WrongListener.class).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).hasStackTraceContaining("must return Mono<Void> or void");
		});
	}

	@Test
	void providesTheQueueLagScalingSignal() {
		this.contextRunner.run((context) -> {
			ScalingSignal signal = context.getBean("protevusQueueLagScalingSignal", ScalingSignal.class);
			assertThat(signal.name()).isEqualTo(ScalingSignals.QUEUE_LAG);
			assertThat(signal.unit()).isEqualTo(ScalingSignal.SECONDS);
			context.getBean(JobQueue.class).publish("emails", new Email("a")).block();
			await().untilAsserted(() -> assertThat(signal.value()).isGreaterThanOrEqualTo(0));
		});
	}

	@Test
	void answersAnUnavailableQueueWith503() {
		Problem problem = new QueueProblemMapper()
			.map(new QueueUnavailableException("emails", new IllegalStateException("down")));
		assertThat(problem.detail().getStatus()).isEqualTo(503);
		assertThat(problem.detail().getDetail()).doesNotContain("emails");
		assertThat(problem.headers().getFirst("Retry-After")).isEqualTo("1");
	}

	@Test
	void exposesTheQueuesEndpointWhenAskedTo() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(QueuesEndpoint.class));
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=queues").run((context) -> {
			QueuesEndpoint endpoint = context.getBean(QueuesEndpoint.class);
			context.getBean(JobQueue.class).publish("emails", new Email("a")).block();
			QueuesEndpoint.QueueDescriptor emails = endpoint.queues().block().queues().get("emails");
			assertThat(emails.depth()).isOne();
			assertThat(emails.settings().concurrency()).isEqualTo(4);
			assertThat(endpoint.operate("emails", "purge-dead").block().jobs()).isZero();
		});
	}

	@Test
	void countsJobsInMeters() {
		this.contextRunner.withConfiguration(BootAutoConfigurations.metrics())
			.withConfiguration(BootAutoConfigurations.simpleMetricsExport())
			.withUserConfiguration(Listeners.class)
			.run((context) -> {
				assertThat(context).hasSingleBean(QueueMeterBinder.class);
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				context.getBean(JobQueue.class).publish("reports", new Email("a")).block();
				await().untilAsserted(() -> assertThat(
						registry.get("protevus.queue.processed").tag("queue", "reports").counter().count())
					.isOne());
				assertThat(registry.get("protevus.queue.published").tag("queue", "reports").counter().count()).isOne();
				assertThat(registry.get("protevus.queue.duration").tag("queue", "reports").timer().count()).isOne();
				assertThat(registry.find("protevus.queue.depth").tag("queue", "reports").gauge()).isNotNull();
				assertThat(registry.find("protevus.queue.lag").tag("queue", "reports").gauge()).isNotNull();
			});
	}

	record Email(String to) {
	}

	@Configuration(proxyBeanMethods = false)
	static class Listeners {

		final AtomicReference<String> thread = new AtomicReference<>();

		final AtomicReference<Job> job = new AtomicReference<>();

		final AtomicReference<Email> email = new AtomicReference<>();

		final AtomicReference<String> report = new AtomicReference<>();

		@QueueListener(queue = "emails")
		void send(Job job, Email email) {
			this.job.set(job);
			this.email.set(email);
			this.thread.set(Thread.currentThread().getName());
		}

		@QueueListener(queue = "reports")
		Mono<Void> report(Email email) {
			return Mono.fromRunnable(() -> this.report.set(email.to()));
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class WrongListener {

		@QueueListener(queue = "emails")
		String send(Email email) {
			return email.to();
		}

	}

}
