package dev.protevus.boot.queue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.protevus.boot.task.BackgroundScheduler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The semantics every {@link QueueBroker} gives a {@link BrokerJobQueue}, run against
 * each broker by a subclass.
 */
abstract class AbstractJobQueueTests {

	static final QueueSettings SETTINGS = new QueueSettings(3, 3,
			new QueueSettings.Backoff(Duration.ofMillis(200), 2.0, Duration.ofSeconds(5)), Duration.ofSeconds(1),
			100_000);

	private final List<BrokerJobQueue> started = new ArrayList<>();

	protected BackgroundScheduler scheduler;

	protected String queue;

	@BeforeEach
	void createScheduler() {
		this.scheduler = new BackgroundScheduler(2, 100);
		this.queue = "jobs-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
	}

	@AfterEach
	void stopQueues() throws InterruptedException {
		for (BrokerJobQueue jobQueue : this.started) {
			CountDownLatch stopped = new CountDownLatch(1);
			jobQueue.stop(stopped::countDown);
			assertThat(stopped.await(10, TimeUnit.SECONDS)).isTrue();
		}
		closeBrokers();
		this.scheduler.dispose();
	}

	/**
	 * Frees what the brokers hold, once every queue has stopped.
	 */
	protected void closeBrokers() {
	}

	/**
	 * A broker of the kind under test; every call for one test shares the same jobs.
	 */
	protected abstract QueueBroker broker(String group);

	protected BrokerJobQueue jobQueue(String consumer) {
		return jobQueue(consumer, SETTINGS);
	}

	protected BrokerJobQueue jobQueue(String consumer, QueueSettings settings) {
		JsonJobCodec codec = new JsonJobCodec(new ObjectMapper(), List.of("dev.protevus.boot.queue"), null);
		BrokerJobQueue jobQueue = new BrokerJobQueue(broker("tests"), codec, (name) -> settings, List.of(),
				this.scheduler, Duration.ofMillis(50), Duration.ofSeconds(2), consumer, List::of);
		this.started.add(jobQueue);
		return jobQueue;
	}

	@Test
	void runsEveryPublishedJobOnceAndAcknowledgesIt() {
		BrokerJobQueue jobs = jobQueue("a");
		Set<Integer> seen = ConcurrentHashMap.newKeySet();
		AtomicInteger runs = new AtomicInteger();
		jobs.listen(this.queue, Email.class, (email, job) -> {
			runs.incrementAndGet();
			seen.add(email.number());
			assertThat(job.queue()).isEqualTo(this.queue);
			assertThat(job.attempt()).isOne();
			return Mono.empty();
		});
		jobs.start();
		for (int i = 0; i < 50; i++) {
			assertThat(jobs.publish(this.queue, new Email("to@example.com", i)).block(Duration.ofSeconds(5)))
				.isNotBlank();
		}
		await().untilAsserted(() -> assertThat(seen).hasSize(50));
		await().untilAsserted(() -> {
			QueueStats stats = jobs.stats(this.queue).block(Duration.ofSeconds(5));
			assertThat(stats.depth()).isZero();
			assertThat(stats.pending()).isZero();
		});
		assertThat(runs).hasValue(50);
	}

	@Test
	void runsNoMoreJobsAtOnceThanTheConcurrency() {
		BrokerJobQueue jobs = jobQueue("a");
		AtomicInteger running = new AtomicInteger();
		AtomicInteger most = new AtomicInteger();
		AtomicInteger done = new AtomicInteger();
		jobs.listen(this.queue, Email.class, (email, job) -> Mono.fromRunnable(() -> {
			int now = running.incrementAndGet();
			most.accumulateAndGet(now, Math::max);
		}).then(Mono.delay(Duration.ofMillis(100))).doOnTerminate(() -> {
			// Before the queue hears of the completion, unlike doFinally.
			running.decrementAndGet();
			done.incrementAndGet();
		}).then());
		for (int i = 0; i < 20; i++) {
			jobs.publish(this.queue, new Email("to@example.com", i)).block(Duration.ofSeconds(5));
		}
		jobs.start();
		await().untilAsserted(() -> assertThat(done).hasValue(20));
		assertThat(most).hasValue(SETTINGS.concurrency());
	}

	@Test
	void triesAFailingJobMaxAttemptsTimesWithGrowingWaitsThenBuriesItAndRetryDeadBringsItBack() {
		BrokerJobQueue jobs = jobQueue("a");
		List<Long> attempts = new ArrayList<>();
		List<Integer> numbers = new ArrayList<>();
		AtomicBoolean fail = new AtomicBoolean(true);
		AtomicInteger succeeded = new AtomicInteger();
		jobs.listen(this.queue, Email.class, (email, job) -> {
			synchronized (attempts) {
				attempts.add(System.nanoTime());
				numbers.add(job.attempt());
			}
			if (fail.get()) {
				return Mono.error(new IllegalStateException("mail server said no"));
			}
			succeeded.incrementAndGet();
			return Mono.empty();
		});
		jobs.start();
		String id = jobs.publish(this.queue, new Email("to@example.com", 1)).block(Duration.ofSeconds(5));
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(jobs.deadJobs(this.queue, 10).collectList().block(Duration.ofSeconds(5)))
				.singleElement()
				.satisfies((dead) -> {
					assertThat(dead.id()).isEqualTo(id);
					assertThat(dead.attempts()).isEqualTo(3);
					assertThat(dead.error()).contains("IllegalStateException", "mail server said no");
				}));
		synchronized (attempts) {
			assertThat(numbers).containsExactly(1, 2, 3);
			long firstWait = attempts.get(1) - attempts.get(0);
			long secondWait = attempts.get(2) - attempts.get(1);
			// A retry's due time is in whole milliseconds of the broker's clock (Redis's
			// TIME), so it may come up to a millisecond before the full wait on this one.
			assertThat(Duration.ofNanos(firstWait)).isGreaterThanOrEqualTo(Duration.ofMillis(199));
			assertThat(Duration.ofNanos(secondWait)).isGreaterThanOrEqualTo(Duration.ofMillis(399));
			assertThat(secondWait).isGreaterThan(firstWait);
		}
		assertThat(jobs.stats(this.queue).block(Duration.ofSeconds(5)).dead()).isOne();
		fail.set(false);
		assertThat(jobs.retryDead(this.queue).block(Duration.ofSeconds(5))).isOne();
		await().untilAsserted(() -> assertThat(succeeded).hasValue(1));
		assertThat(jobs.stats(this.queue).block(Duration.ofSeconds(5)).dead()).isZero();
		synchronized (attempts) {
			assertThat(numbers).containsExactly(1, 2, 3, 1);
		}
	}

	@Test
	void purgeDeadDeletesTheDeadJobs() {
		BrokerJobQueue jobs = jobQueue("a", new QueueSettings(1, 1, SETTINGS.backoff(), Duration.ofSeconds(1), 100));
		jobs.listen(this.queue, Email.class, (email, job) -> Mono.error(new IllegalStateException("no")));
		jobs.start();
		jobs.publish(this.queue, new Email("a", 1)).block(Duration.ofSeconds(5));
		jobs.publish(this.queue, new Email("b", 2)).block(Duration.ofSeconds(5));
		await()
			.untilAsserted(() -> assertThat(jobs.stats(this.queue).block(Duration.ofSeconds(5)).dead()).isEqualTo(2));
		assertThat(jobs.purgeDead(this.queue).block(Duration.ofSeconds(5))).isEqualTo(2);
		assertThat(jobs.deadJobs(this.queue, 10).collectList().block(Duration.ofSeconds(5))).isEmpty();
	}

	@Test
	void deliversADelayedJobNotBeforeItIsDueAndWithinOneSecondAfter() {
		BrokerJobQueue jobs = jobQueue("a");
		Sinks.One<Long> delivered = Sinks.one();
		jobs.listen(this.queue, Email.class, (email, job) -> {
			delivered.tryEmitValue(System.nanoTime());
			return Mono.empty();
		});
		jobs.start();
		long published = System.nanoTime();
		jobs.publish(this.queue, new Email("later@example.com", 1), PublishOptions.delay(Duration.ofMillis(1500)))
			.block(Duration.ofSeconds(5));
		Long at = delivered.asMono().block(Duration.ofSeconds(10));
		Duration after = Duration.ofNanos(at - published);
		assertThat(after).isGreaterThanOrEqualTo(Duration.ofMillis(1500)).isLessThan(Duration.ofMillis(2500));
	}

	@Test
	void givesAJobItsFirstPublishTimeAsEnqueueTimeOnEveryAttempt() {
		BrokerJobQueue jobs = jobQueue("a");
		List<Job> attempts = new CopyOnWriteArrayList<>();
		jobs.listen(this.queue, Email.class, (email, job) -> {
			attempts.add(job);
			return (job.attempt() == 1) ? Mono.error(new IllegalStateException("once")) : Mono.empty();
		});
		jobs.start();
		Instant before = Instant.now();
		jobs.publish(this.queue, new Email("to@example.com", 1)).block(Duration.ofSeconds(5));
		Instant after = Instant.now();
		await().untilAsserted(() -> assertThat(attempts).hasSize(2));
		// Redis's clock and this JVM's are the same machine's.
		assertThat(attempts.get(0).enqueuedAt()).isBetween(before.minusMillis(50), after.plusMillis(50));
		assertThat(attempts.get(1).attempt()).isEqualTo(2);
		assertThat(attempts.get(1).enqueuedAt()).isEqualTo(attempts.get(0).enqueuedAt());
	}

	@Test
	void publishesOnceForOneDeduplicationId() {
		BrokerJobQueue jobs = jobQueue("a");
		AtomicInteger runs = new AtomicInteger();
		jobs.listen(this.queue, Email.class, (email, job) -> Mono.fromRunnable(runs::incrementAndGet));
		jobs.start();
		PublishOptions options = PublishOptions.deduplicationId("order-42");
		String first = jobs.publish(this.queue, new Email("a", 1), options).block(Duration.ofSeconds(5));
		String second = jobs.publish(this.queue, new Email("a", 1), options).block(Duration.ofSeconds(5));
		assertThat(second).isEqualTo(first);
		await().untilAsserted(() -> assertThat(runs).hasValue(1));
		jobs.publish(this.queue, new Email("b", 2)).block(Duration.ofSeconds(5));
		await().untilAsserted(() -> assertThat(runs).hasValue(2));
	}

	@Test
	void buriesAPayloadOfAClassOutsideTheAllowlistWithoutLoadingIt() {
		BrokerJobQueue jobs = jobQueue("a");
		AtomicInteger runs = new AtomicInteger();
		jobs.listen(this.queue, Object.class, (payload, job) -> Mono.fromRunnable(runs::incrementAndGet));
		jobs.start();
		String gadget = "dev.protevus.gadget.NeverLoaded";
		jobs.broker()
			.publish(this.queue, new EncodedJob("evil", gadget, "{}", 1, 0, null), Duration.ZERO, null,
					Duration.ofHours(1))
			.block(Duration.ofSeconds(5));
		await().untilAsserted(() -> assertThat(jobs.deadJobs(this.queue, 10).collectList().block(Duration.ofSeconds(5)))
			.singleElement()
			.satisfies((dead) -> {
				assertThat(dead.id()).isEqualTo("evil");
				assertThat(dead.error()).contains("not allowed");
			}));
		assertThat(runs).hasValue(0);
		assertThat(jobs.codec().isAllowed(gadget)).isFalse();
	}

	@Test
	void reclaimsJobsLeftPendingByACrashedConsumerAfterTheVisibilityTimeout() {
		QueueBroker broker = broker("tests");
		broker.prepare(this.queue).block(Duration.ofSeconds(5));
		BrokerJobQueue publisher = jobQueue("publisher");
		for (int i = 0; i < 5; i++) {
			publisher.publish(this.queue, new Email("x", i)).block(Duration.ofSeconds(5));
		}
		// A consumer that reads and then dies: its jobs stay pending.
		List<Delivery> taken = broker.read(this.queue, "crashed", 5, Duration.ofMillis(100))
			.block(Duration.ofSeconds(5));
		assertThat(taken).hasSize(5);
		assertThat(publisher.stats(this.queue).block(Duration.ofSeconds(5)).pending()).isEqualTo(5);
		BrokerJobQueue survivor = jobQueue("survivor");
		Set<Integer> seen = ConcurrentHashMap.newKeySet();
		long started = System.nanoTime();
		survivor.listen(this.queue, Email.class, (email, job) -> Mono.fromRunnable(() -> seen.add(email.number())));
		survivor.start();
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(seen).hasSize(5));
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
		await().untilAsserted(
				() -> assertThat(survivor.stats(this.queue).block(Duration.ofSeconds(5)).pending()).isZero());
	}

	@Test
	void stoppingFinishesTheJobsInFlightAndReadsNoMore() {
		BrokerJobQueue jobs = jobQueue("a");
		Sinks.Empty<Void> release = Sinks.empty();
		AtomicInteger startedJobs = new AtomicInteger();
		AtomicInteger finished = new AtomicInteger();
		jobs.listen(this.queue, Email.class, (email, job) -> {
			startedJobs.incrementAndGet();
			return release.asMono().doOnSuccess((done) -> finished.incrementAndGet());
		});
		jobs.start();
		for (int i = 0; i < 10; i++) {
			jobs.publish(this.queue, new Email("x", i)).block(Duration.ofSeconds(5));
		}
		await().untilAsserted(() -> assertThat(startedJobs).hasValue(SETTINGS.concurrency()));
		AtomicBoolean stopped = new AtomicBoolean();
		jobs.stop(() -> stopped.set(true));
		assertThat(stopped).isFalse();
		release.tryEmitEmpty();
		await().untilTrue(stopped);
		assertThat(finished).hasValue(SETTINGS.concurrency());
		assertThat(startedJobs).hasValue(SETTINGS.concurrency());
		QueueStats stats = jobs.stats(this.queue).block(Duration.ofSeconds(5));
		assertThat(stats.pending()).isZero();
		assertThat(stats.depth()).isEqualTo(10 - SETTINGS.concurrency());
	}

	@Test
	void aStoppedConsumerLeavesTheQueueUnlessJobsArePendingOnIt() throws InterruptedException {
		BrokerJobQueue publisher = jobQueue("publisher");
		BrokerJobQueue first = jobQueue("first");
		BrokerJobQueue second = jobQueue("second");
		first.listen(this.queue, Email.class, (email, job) -> Mono.delay(Duration.ofMillis(20)).then());
		second.listen(this.queue, Email.class, (email, job) -> Mono.delay(Duration.ofMillis(20)).then());
		first.start();
		second.start();
		// A consumer joins when it is first given a job; more jobs than one consumer
		// runs at once reach both.
		for (int i = 0; i < 20; i++) {
			publisher.publish(this.queue, new Email("x", i)).block(Duration.ofSeconds(5));
		}
		await().untilAsserted(() -> assertThat(consumers(publisher)).isEqualTo(2));
		stop(first);
		await().untilAsserted(() -> assertThat(consumers(publisher)).isOne());
		stop(second);
		await().untilAsserted(() -> assertThat(consumers(publisher)).isZero());
		// A consumer that dies with a job pending stays, so that the job can be
		// reclaimed.
		publisher.publish(this.queue, new Email("x", 1)).block(Duration.ofSeconds(5));
		QueueBroker broker = broker("tests");
		assertThat(broker.read(this.queue, "crashed", 1, Duration.ofMillis(100)).block(Duration.ofSeconds(5)))
			.hasSize(1);
		broker.release("crashed");
		await().during(Duration.ofMillis(500))
			.atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(consumers(publisher)).isOne());
	}

	private long consumers(BrokerJobQueue jobQueue) {
		return jobQueue.stats(this.queue).block(Duration.ofSeconds(5)).consumers();
	}

	private static void stop(BrokerJobQueue jobQueue) throws InterruptedException {
		CountDownLatch stopped = new CountDownLatch(1);
		jobQueue.stop(stopped::countDown);
		assertThat(stopped.await(10, TimeUnit.SECONDS)).isTrue();
	}

	@Test
	void measuresLagForTheScalingSignal() {
		BrokerJobQueue jobs = jobQueue("a");
		assertThat(jobs.lagSeconds()).isNaN();
		jobs.publish(this.queue, new Email("x", 1)).block(Duration.ofSeconds(5));
		jobs.start();
		await().untilAsserted(() -> assertThat(jobs.lagSeconds()).isGreaterThanOrEqualTo(0));
		assertThat(jobs.lastStats()).containsKey(this.queue);
	}

	record Email(String to, int number) {
	}

}
