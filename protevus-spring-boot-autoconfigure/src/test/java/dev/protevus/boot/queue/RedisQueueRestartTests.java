package dev.protevus.boot.queue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.protevus.boot.task.BackgroundScheduler;
import dev.protevus.boot.test.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.retry.Retry;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.lang.Nullable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Redis stopped in the middle of a queue's stream and started again with its data, as a
 * Redis with persistence restarts: publishing fails fast meanwhile, listeners resume, no
 * acknowledged job runs again and no job that was not acknowledged is lost.
 */
class RedisQueueRestartTests {

	private static final QueueSettings SETTINGS = new QueueSettings(4, 3,
			new QueueSettings.Backoff(Duration.ofMillis(200), 2.0, Duration.ofSeconds(5)), Duration.ofSeconds(1),
			100_000);

	// The default protevus.queue.timeout.
	private static final Duration TIMEOUT = Duration.ofSeconds(2);

	private final String queue = "restart-" + Long.toHexString(ThreadLocalRandom.current().nextLong());

	/** Successful acknowledgements: job id to how many times it had run then. */
	private final Map<String, Integer> acknowledged = new ConcurrentHashMap<>();

	private final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();

	private BackgroundScheduler scheduler;

	private LettuceConnectionFactory factory;

	private BrokerJobQueue jobs;

	@BeforeEach
	void createQueue() {
		TestRedis redis = TestRedis.get();
		this.scheduler = new BackgroundScheduler(2, 100);
		this.factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration(redis.host(), redis.port()));
		this.factory.afterPropertiesSet();
		this.factory.start();
		QueueBroker broker = new AcknowledgementRecorder(new RedisQueueBroker(this.factory, "restart-queue:", "tests",
				(name) -> SETTINGS, this.scheduler.scheduler()));
		JsonJobCodec codec = new JsonJobCodec(new ObjectMapper(), List.of("dev.protevus.boot.queue"), null);
		this.jobs = new BrokerJobQueue(broker, codec, (name) -> SETTINGS, List.of(), this.scheduler,
				Duration.ofMillis(50), TIMEOUT, "consumer", List::of);
	}

	@AfterEach
	void stopQueue() throws InterruptedException {
		TestRedis.get().start();
		CountDownLatch stopped = new CountDownLatch(1);
		this.jobs.stop(stopped::countDown);
		assertThat(stopped.await(10, TimeUnit.SECONDS)).isTrue();
		this.factory.destroy();
		this.scheduler.dispose();
	}

	@Test
	void publishFailsFastWhileRedisIsStoppedAndAfterItsRestartNothingAcknowledgedRunsAgainAndNothingElseIsLost() {
		TestRedis redis = TestRedis.get();
		Sinks.Empty<Void> gate = Sinks.empty();
		Set<Integer> started = ConcurrentHashMap.newKeySet();
		AtomicInteger finished = new AtomicInteger();
		// Jobs 0 to 39 run at once; from 40 on they wait for the gate, so that when Redis
		// stops 40 jobs are acknowledged, 4 (the concurrency) are running and the rest
		// wait in the stream.
		this.jobs.listen(this.queue, Numbered.class, (numbered, job) -> {
			started.add(numbered.number());
			Mono<Void> work = (numbered.number() < 40) ? Mono.empty() : gate.asMono();
			return work.doOnSuccess((done) -> {
				this.runs.computeIfAbsent(job.id(), (id) -> new AtomicInteger()).incrementAndGet();
				finished.incrementAndGet();
			});
		});
		this.jobs.start();
		List<String> published = new ArrayList<>(Flux.range(0, 100)
			.concatMap((number) -> this.jobs.publish(this.queue, new Numbered(number)))
			.collectList()
			.block(Duration.ofSeconds(30)));
		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
			assertThat(this.acknowledged).hasSize(40);
			assertThat(started).hasSize(44);
		});
		Set<String> acknowledgedBeforeStop = Set.copyOf(this.acknowledged.keySet());
		redis.stop();
		try {
			long start = System.nanoTime();
			assertThatExceptionOfType(QueueUnavailableException.class)
				.isThrownBy(() -> this.jobs.publish(this.queue, new Numbered(-1)).block(Duration.ofSeconds(10)))
				.withMessageContaining(this.queue);
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(TIMEOUT.plusSeconds(1));
			// The running jobs finish while Redis is down: their acknowledgements fail,
			// so
			// they stay pending and run again once reclaimed.
			gate.tryEmitEmpty();
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(finished).hasValue(44));
		}
		finally {
			redis.start();
		}
		// The listener resumes by itself; publishing works again once Lettuce reconnects.
		await().atMost(Duration.ofSeconds(30))
			.ignoreExceptions()
			.until(() -> this.jobs.publish(this.queue, new Numbered(100)).block(TIMEOUT) != null);
		// A loaded machine may still be slow to answer just after the restart.
		published.addAll(Flux.range(101, 19)
			.concatMap((number) -> this.jobs.publish(this.queue, new Numbered(number))
				.retryWhen(Retry.max(3).filter(QueueUnavailableException.class::isInstance)))
			.collectList()
			.block(Duration.ofSeconds(60)));
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(this.acknowledged).containsKeys(published.toArray(String[]::new)));
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			QueueStats stats = this.jobs.stats(this.queue).block(TIMEOUT);
			assertThat(stats.depth()).isZero();
			assertThat(stats.pending()).isZero();
		});
		// Nothing acknowledged ran again: every job ran as often as when it was
		// acknowledged, and those acknowledged before the stop ran once.
		this.acknowledged.forEach((id, runsWhenAcknowledged) -> assertThat(this.runs.get(id)).as("runs of job %s", id)
			.hasValue(runsWhenAcknowledged));
		assertThat(acknowledgedBeforeStop)
			.allSatisfy((id) -> assertThat(this.runs.get(id)).as("runs of job %s", id).hasValue(1));
		// Nothing was lost: every published job ran, including the 60 that had not been
		// read when Redis stopped and the 4 whose acknowledgement failed.
		assertThat(this.runs).containsKeys(published.toArray(String[]::new));
		assertThat(this.jobs.deadJobs(this.queue, 10).collectList().block(TIMEOUT)).isEmpty();
	}

	record Numbered(int number) {
	}

	/**
	 * Records each acknowledgement that Redis confirmed, with how many times the job had
	 * run by then.
	 */
	private final class AcknowledgementRecorder implements QueueBroker {

		private final QueueBroker broker;

		AcknowledgementRecorder(QueueBroker broker) {
			this.broker = broker;
		}

		@Override
		public Mono<Void> complete(String queue, Delivery delivery) {
			return this.broker.complete(queue, delivery).doOnSuccess((done) -> {
				String id = delivery.job().id();
				AtomicInteger ran = RedisQueueRestartTests.this.runs.get(id);
				RedisQueueRestartTests.this.acknowledged.put(id, (ran != null) ? ran.get() : 0);
			});
		}

		@Override
		public Mono<String> publish(String queue, EncodedJob job, Duration delay, @Nullable String deduplicationId,
				Duration deduplicationWindow) {
			return this.broker.publish(queue, job, delay, deduplicationId, deduplicationWindow);
		}

		@Override
		public Mono<Void> prepare(String queue) {
			return this.broker.prepare(queue);
		}

		@Override
		public Mono<List<Delivery>> read(String queue, String consumer, int count, Duration block) {
			return this.broker.read(queue, consumer, count, block);
		}

		@Override
		public Mono<List<Delivery>> reclaim(String queue, String consumer, int count, Duration minIdle) {
			return this.broker.reclaim(queue, consumer, count, minIdle);
		}

		@Override
		public Mono<Void> retry(String queue, Delivery delivery, EncodedJob next, Duration delay) {
			return this.broker.retry(queue, delivery, next, delay);
		}

		@Override
		public Mono<Void> bury(String queue, Delivery delivery, String error) {
			return this.broker.bury(queue, delivery, error);
		}

		@Override
		public Mono<Long> promoteDue(String queue) {
			return this.broker.promoteDue(queue);
		}

		@Override
		public Mono<QueueStats> stats(String queue) {
			return this.broker.stats(queue);
		}

		@Override
		public Flux<DeadJob> deadJobs(String queue, int limit) {
			return this.broker.deadJobs(queue, limit);
		}

		@Override
		public Mono<Long> retryDead(String queue) {
			return this.broker.retryDead(queue);
		}

		@Override
		public Mono<Long> purgeDead(String queue) {
			return this.broker.purgeDead(queue);
		}

		@Override
		public void release(String consumer) {
			this.broker.release(consumer);
		}

	}

}
