package dev.protevus.boot.autoconfigure.queue;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import dev.protevus.boot.autoconfigure.ProtevusAutoConfiguration;
import dev.protevus.boot.queue.JobQueue;
import dev.protevus.boot.queue.QueueUnavailableException;
import dev.protevus.boot.test.TestRedis;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.data.redis.RedisAutoConfiguration;
import org.springframework.boot.autoconfigure.data.redis.RedisReactiveAutoConfiguration;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Several application contexts, as several instances of one service, sharing one queue on
 * the embedded Redis.
 */
class QueueContextsTests {

	private final String queue = "work-" + Long.toHexString(ThreadLocalRandom.current().nextLong());

	private final ApplicationContextRunner instance = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ProtevusAutoConfiguration.class, QueueAutoConfiguration.class,
				JacksonAutoConfiguration.class, RedisAutoConfiguration.class, RedisReactiveAutoConfiguration.class))
		.withPropertyValues(TestRedis.get().propertyValues())
		// Correctness, not latency, is under test here: the shared test machine may be
		// slow.
		.withPropertyValues("spring.application.name=workers", "protevus.queue.timeout=15s",
				"protevus.queue.defaults.concurrency=16",
				"protevus.queue.serialization.allowed-packages=dev.protevus.boot.autoconfigure.queue");

	@Test
	void twoInstancesShareTenThousandJobsAndRunEachOnce() {
		Map<Integer, AtomicInteger> runs = new ConcurrentHashMap<>();
		AtomicInteger byFirst = new AtomicInteger();
		AtomicInteger bySecond = new AtomicInteger();
		ApplicationContextRunner service = this.instance;
		service.run((first) -> service.run((second) -> {
			listen(first, runs, byFirst);
			listen(second, runs, bySecond);
			Mono<Void> fromFirst = publish(jobs(first), 0, 5000);
			Mono<Void> fromSecond = publish(jobs(second), 5000, 10000);
			Mono.when(fromFirst, fromSecond).block(Duration.ofSeconds(60));
			await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(runs).hasSize(10_000));
			assertThat(runs.values()).allSatisfy((count) -> assertThat(count).hasValue(1));
			assertThat(byFirst.get() + bySecond.get()).isEqualTo(10_000);
			assertThat(byFirst).hasPositiveValue();
			assertThat(bySecond).hasPositiveValue();
			await().untilAsserted(() -> assertThat(jobs(first).stats(this.queue).block().pending()).isZero());
		}));
	}

	@Test
	void jobsLeftByAStoppedInstanceAreReclaimedByAnotherAfterTheVisibilityTimeout() {
		ApplicationContextRunner service = this.instance.withPropertyValues(
				"protevus.queue.queues." + this.queue + ".visibility-timeout=2s",
				"protevus.queue.queues." + this.queue + ".concurrency=5",
				"spring.lifecycle.timeout-per-shutdown-phase=500ms");
		service.run((crashing) -> {
			// Takes every job and never finishes: they stay pending when it stops.
			jobs(crashing).listen(this.queue, Work.class, (work, job) -> Mono.never());
			publish(jobs(crashing), 0, 5).block(Duration.ofSeconds(10));
			await().untilAsserted(() -> assertThat(jobs(crashing).stats(this.queue).block().pending()).isEqualTo(5));
		});
		Map<Integer, AtomicInteger> runs = new ConcurrentHashMap<>();
		service.run((survivor) -> {
			long started = System.nanoTime();
			listen(survivor, runs, new AtomicInteger());
			await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(runs).hasSize(5));
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThan(Duration.ofMillis(500));
			await().untilAsserted(() -> assertThat(jobs(survivor).stats(this.queue).block().pending()).isZero());
		});
	}

	@Test
	void publishingFailsFastWhileRedisIsDownAndListenersResumeWhenItReturns() {
		Map<Integer, AtomicInteger> runs = new ConcurrentHashMap<>();
		TestRedis redis = TestRedis.get();
		this.instance.withPropertyValues("protevus.queue.timeout=1s").run((context) -> {
			listen(context, runs, new AtomicInteger());
			publish(jobs(context), 0, 10).block(Duration.ofSeconds(10));
			await().untilAsserted(() -> assertThat(runs).hasSize(10));
			redis.stop();
			try {
				long started = System.nanoTime();
				assertThatExceptionOfType(QueueUnavailableException.class)
					.isThrownBy(() -> jobs(context).publish(this.queue, new Work(99)).block(Duration.ofSeconds(10)))
					.withMessageContaining(this.queue);
				assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
			}
			finally {
				redis.start();
			}
			await().atMost(Duration.ofSeconds(30))
				.ignoreExceptions()
				.untilAsserted(() -> assertThat(jobs(context).publish(this.queue, new Work(100)).block()).isNotNull());
			publish(jobs(context), 101, 111).block(Duration.ofSeconds(10));
			await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(runs).containsKeys(100, 110));
			assertThat(runs.values()).allSatisfy((count) -> assertThat(count).hasValue(1));
		});
	}

	private void listen(AssertableApplicationContext context, Map<Integer, AtomicInteger> runs, AtomicInteger mine) {
		jobs(context).listen(this.queue, Work.class, (work, job) -> Mono.fromRunnable(() -> {
			runs.computeIfAbsent(work.number(), (number) -> new AtomicInteger()).incrementAndGet();
			mine.incrementAndGet();
		}));
	}

	private Mono<Void> publish(JobQueue jobs, int from, int to) {
		return Flux.range(from, to - from).flatMap((number) -> jobs.publish(this.queue, new Work(number)), 16).then();
	}

	private static JobQueue jobs(AssertableApplicationContext context) {
		return context.getBean(JobQueue.class);
	}

	record Work(int number) {
	}

}
