package dev.protevus.sample.bookstore.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.protevus.boot.queue.BrokerJobQueue;
import dev.protevus.boot.queue.DeadJob;
import dev.protevus.boot.queue.JobQueue;
import dev.protevus.sample.bookstore.ChaosJobs;
import dev.protevus.sample.bookstore.chaos.ChaosInstances.Instance;
import dev.protevus.sample.bookstore.chaos.ChaosLoad.Sample;
import io.netty.handler.codec.http.HttpMethod;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import org.springframework.data.redis.connection.stream.PendingMessagesSummary;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import static org.awaitility.Awaitility.await;

/**
 * Scenario 5 of issue 21: of two instances working through 10,000 review jobs, one is
 * killed ({@code SIGKILL}) while jobs it has read are not acknowledged yet; none is lost,
 * and a poison job ends in the dead-letter stream after its attempts.
 */
@Tag("chaos")
class Chaos5QueueConsumerKilledTests {

	private static final int JOBS = 10_000;

	private static final Duration VISIBILITY_TIMEOUT = Duration.ofSeconds(10);

	private static final String STREAM = "queue:{" + ChaosJobs.reviewQueue() + "}";

	@Test
	void noJobIsLostWhenAConsumerDiesBetweenReadAndAckAndAPoisonJobIsDeadLettered() {
		String run = UUID.randomUUID().toString().substring(0, 8);
		ChaosReport report = ChaosReport.scenario("5", "Queue consumer killed between read and ack",
				"2 instances (one in a JVM of its own, to be killed with SIGKILL), each working the `review-submitted` queue 8 at a time, "
						+ "`visibility-timeout` " + VISIBILITY_TIMEOUT.toSeconds() + " s; " + JOBS
						+ " reviews POSTed (64 at a time, spread over both), each stored as a row with its job id; the second instance killed once "
						+ "2,000 reviews are stored, while jobs it read are pending; a poison job (a review of a book that does not exist) published too; "
						+ "`max-attempts` 5, backoff 100 ms doubling");
		String[] queue = { "--protevus.queue.queues.review-submitted.concurrency=8",
				"--protevus.queue.queues.review-submitted.visibility-timeout=" + VISIBILITY_TIMEOUT.toSeconds() + "s",
				"--protevus.queue.queues.review-submitted.backoff.initial=100ms" };
		try (ChaosInstances instances = ChaosInstances.start(1, queue);
				ChaosProcess victim = ChaosProcess.start("scenario-5-victim", instances.arguments());
				ChaosLoad load = new ChaosLoad("jobs", 64, Duration.ofSeconds(30))) {
			Instance survivor = instances.get(0);
			ReactiveStringRedisTemplate redis = survivor.bean(ReactiveStringRedisTemplate.class);
			String group = redis.opsForStream().groups(STREAM).blockFirst(Duration.ofSeconds(10)).groupName();
			String survivorName = ((BrokerJobQueue) survivor.bean(JobQueue.class)).consumerName();
			long reviewsBefore = stored(run);
			long startedAt = System.nanoTime();
			String poison = ChaosJobs.poison(survivor.bean(JobQueue.class), "chaos-" + run + "-poison")
				.block(Duration.ofSeconds(10));
			List<Sample> posts = java.util.Collections.synchronizedList(new ArrayList<>());
			Flux.range(0, JOBS)
				.flatMap((n) -> load.send(HttpMethod.POST, n,
						(i) -> ((i % 2 == 0) ? survivor.url() : victim.url()) + "/books/" + (1 + i % 200) + "/reviews",
						(i) -> "{\"rating\":" + (1 + i % 5) + ",\"text\":\"chaos-" + run + "-" + i + "\"}"), 64)
				.doOnNext(posts::add)
				.subscribe();
			await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(100)).until(() -> stored(run) >= 2000);
			PendingMessagesSummary pendingBefore = redis.opsForStream()
				.pending(STREAM, group)
				.block(Duration.ofSeconds(10));
			victim.kill();
			long killed = System.nanoTime();
			PendingMessagesSummary pendingAfter = redis.opsForStream()
				.pending(STREAM, group)
				.block(Duration.ofSeconds(10));
			Map<String, Long> perConsumer = pendingAfter.getPendingMessagesPerConsumer();
			long orphaned = perConsumer.entrySet()
				.stream()
				.filter((entry) -> !entry.getKey().equals(survivorName))
				.mapToLong(Map.Entry::getValue)
				.sum();
			// Posts to the killed instance fail from now on; they are sent again to the
			// survivor.
			await().atMost(Duration.ofMinutes(3)).until(() -> posts.size() >= JOBS);
			List<Sample> refused = List.copyOf(posts).stream().filter((sample) -> sample.status() != 202).toList();
			List<Sample> resent = Flux.fromIterable(refused)
				.flatMap((sample) -> load.send(HttpMethod.POST, sample.sequence(),
						(i) -> survivor.url() + "/books/" + (1 + i % 200) + "/reviews",
						(i) -> "{\"rating\":" + (1 + i % 5) + ",\"text\":\"chaos-" + run + "-" + i + "\"}"), 16)
				.collectList()
				.block(Duration.ofMinutes(2));
			java.util.Set<String> accepted202 = new java.util.HashSet<>();
			java.util.Set<String> ambiguous = new java.util.HashSet<>();
			for (Sample sample : List.copyOf(posts)) {
				String text = "chaos-" + run + "-" + sample.sequence();
				if (sample.status() == 202) {
					accepted202.add(text);
				}
				else {
					// No answer: the job may or may not have been published before the
					// instance died, and was sent again.
					ambiguous.add(text);
				}
			}
			resent.stream()
				.filter((sample) -> sample.status() == 202)
				.forEach((sample) -> accepted202.add("chaos-" + run + "-" + sample.sequence()));
			boolean allStored = true;
			try {
				await().atMost(Duration.ofMinutes(4))
					.pollInterval(Duration.ofMillis(500))
					.until(() -> ChaosSql.single("SELECT count(DISTINCT body) FROM reviews WHERE body LIKE 'chaos-"
							+ run + "-%'") >= accepted202.size());
			}
			catch (org.awaitility.core.ConditionTimeoutException ex) {
				allStored = false;
			}
			Duration drained = ChaosInstances.elapsedSince(killed);
			List<DeadJob> dead = new ArrayList<>();
			try {
				await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(250)).until(() -> {
					dead.clear();
					survivor.bean(JobQueue.class)
						.deadJobs(ChaosJobs.reviewQueue(), 100)
						.filter((job) -> job.id().equals(poison))
						.toStream()
						.forEach(dead::add);
					return !dead.isEmpty();
				});
			}
			catch (org.awaitility.core.ConditionTimeoutException ex) {
				// Reported below.
			}
			List<String> bodies = ChaosSql.strings("SELECT body FROM reviews WHERE body LIKE 'chaos-" + run + "-%'");
			Map<String, Long> copies = bodies.stream()
				.collect(
						java.util.stream.Collectors.groupingBy((body) -> body, java.util.stream.Collectors.counting()));
			long lost = accepted202.stream().filter((text) -> !copies.containsKey(text)).count();
			long twice = copies.entrySet()
				.stream()
				.filter((entry) -> entry.getValue() > 1 && !ambiguous.contains(entry.getKey()))
				.count();
			long resentTwice = copies.entrySet()
				.stream()
				.filter((entry) -> entry.getValue() > 1 && ambiguous.contains(entry.getKey()))
				.count();
			long stored = bodies.size();
			long distinct = copies.size();
			report.figure("jobs accepted (202)", accepted202.size())
				.figure("POSTs refused by the killed instance and sent again to the other", refused.size())
				.figure("jobs pending on the killed instance right after the kill", orphaned)
				.figure("pending per consumer before the kill", pendingBefore.getPendingMessagesPerConsumer())
				.figure("reviews stored / distinct", stored + " / " + distinct)
				.figure("every job stored, from the kill", ChaosReport.format(drained))
				.figure("whole scenario", ChaosReport.format(ChaosInstances.elapsedSince(startedAt)))
				.figure("poison job", dead.isEmpty() ? "not dead-lettered"
						: dead.get(0).attempts() + " attempts, last error: " + dead.get(0).error());
			report.check("the killed instance had read jobs it never acknowledged", orphaned > 0,
					orphaned + " pending on it");
			report.figure("reviews whose POST got no answer from the dying instance, sent again, and stored twice",
					resentTwice);
			report.check("0 jobs lost: every accepted job stored, none twice", allStored && lost == 0 && twice == 0,
					lost + " lost, " + twice + " stored twice");
			report.check("the poison job is dead-lettered after max-attempts (5)",
					!dead.isEmpty() && dead.get(0).attempts() == 5,
					dead.isEmpty() ? "not dead" : dead.get(0).attempts() + " attempts");
		}
		report.writeAndAssert();
	}

	private static long stored(String run) {
		return ChaosSql.single("SELECT count(*) FROM reviews WHERE body LIKE 'chaos-" + run + "-%'");
	}

}
