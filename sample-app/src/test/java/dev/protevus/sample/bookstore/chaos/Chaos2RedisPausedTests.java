package dev.protevus.sample.bookstore.chaos;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

import dev.protevus.boot.test.TestRedis;
import dev.protevus.sample.bookstore.chaos.ChaosInstances.Instance;
import dev.protevus.sample.bookstore.chaos.ChaosLoad.Sample;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;

/**
 * Scenario 2 of issue 21: Redis hangs (every process stopped with {@code SIGSTOP}) for 30
 * s while two instances serve reads that mostly miss their small memory tier.
 */
@Tag("chaos")
class Chaos2RedisPausedTests {

	private static final int RATE = 40;

	private static final Duration BASELINE = Duration.ofSeconds(30);

	private static final Duration PAUSE = Duration.ofSeconds(30);

	/** The cache's {@code protevus.cache.redis.timeout}, its default. */
	private static final Duration REDIS_TIMEOUT = Duration.ofMillis(250);

	/**
	 * Lettuce's timeout timer ticks every 10 ms; the fallback then runs (as
	 * TieredCacheFaultsTests allows).
	 */
	private static final Duration TIMER_ALLOWANCE = Duration.ofMillis(100);

	private static final long HEAP_BOUND = 64L * 1024 * 1024;

	@AfterEach
	void redisRuns() {
		TestRedis.get().resume();
	}

	@Test
	void everyRequestEndsWithinTheRedisTimeoutPlusItsNormalTimeAndTheBreakerOpensThenCloses() {
		ChaosReport report = ChaosReport.scenario("2", "Redis paused 30 s",
				"2 instances, `books` cache in memory (20 entries) and Redis; " + RATE
						+ " GET /books/{1..200} per second spread over both, so most reads go to Redis; "
						+ BASELINE.toSeconds() + " s of normal load, then Redis paused (SIGSTOP) for "
						+ PAUSE.toSeconds()
						+ " s, then resumed (SIGCONT); `protevus.cache.redis.timeout` 250 ms (the default)");
		Map<Integer, ConcurrentLinkedQueue<String>> transitions = new ConcurrentHashMap<>();
		MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
		try (ChaosInstances instances = ChaosInstances.start(2, "--protevus.cache.caches.books.memory.maximum-size=20");
				ChaosLoad load = new ChaosLoad("reads", 64, Duration.ofSeconds(10))) {
			for (Instance instance : instances.all()) {
				ConcurrentLinkedQueue<String> states = new ConcurrentLinkedQueue<>();
				transitions.put(instance.index(), states);
				breaker(instance).getEventPublisher()
					.onStateTransition((event) -> states.add(event.getStateTransition().getToState().name()));
			}
			load.start(RATE, (n) -> instances.get((int) (n % 2)).url() + "/books/" + (1 + (n / 2) % 200));
			long started = System.nanoTime();
			await().atMost(BASELINE.plusSeconds(30))
				.until(() -> ChaosInstances.elapsedSince(started).compareTo(BASELINE) >= 0);
			System.gc();
			long heapBefore = memory.getHeapMemoryUsage().getUsed();
			long paused = System.nanoTime();
			TestRedis.get().pause();
			boolean[] opened = new boolean[2];
			await().atMost(PAUSE.plusSeconds(30)).until(() -> {
				for (Instance instance : instances.all()) {
					opened[instance.index()] |= breaker(instance).getState() == CircuitBreaker.State.OPEN;
				}
				return ChaosInstances.elapsedSince(paused).compareTo(PAUSE) >= 0;
			});
			System.gc();
			long heapAtEnd = memory.getHeapMemoryUsage().getUsed();
			TestRedis.get().resume();
			long resumed = System.nanoTime();
			Duration closedAfter = null;
			try {
				await().atMost(Duration.ofSeconds(30))
					.pollInterval(Duration.ofMillis(20))
					.until(() -> instances.all()
						.stream()
						.allMatch((instance) -> breaker(instance).getState() == CircuitBreaker.State.CLOSED));
				closedAfter = ChaosInstances.elapsedSince(resumed);
			}
			catch (org.awaitility.core.ConditionTimeoutException ex) {
				// Reported below.
			}
			long resumedPlus = System.nanoTime();
			await().atMost(Duration.ofSeconds(30))
				.until(() -> ChaosInstances.elapsedSince(resumedPlus).toSeconds() >= 5);
			load.stop();

			List<Sample> samples = load.samples();
			List<Sample> baseline = ChaosLoad.startedBetween(samples, started, paused);
			List<Sample> during = ChaosLoad.startedBetween(samples, paused, resumed);
			List<Sample> failed = ChaosLoad.matching(samples, (sample) -> !sample.ok());
			double baselineP99 = ChaosLoad.percentileMillis(baseline, 99);
			double baselineMax = ChaosLoad.maxMillis(baseline);
			double duringP99 = ChaosLoad.percentileMillis(during, 99);
			double duringMax = ChaosLoad.maxMillis(during);
			double extra = REDIS_TIMEOUT.toMillis() + TIMER_ALLOWANCE.toMillis();
			report.figure("requests before / during the pause", baseline.size() + " / " + during.size())
				.figure("statuses", ChaosLoad.statuses(samples))
				.figure("latency before the pause, p50 / p99 / max",
						ChaosReport.millis(ChaosLoad.percentileMillis(baseline, 50)) + " / "
								+ ChaosReport.millis(baselineP99) + " / " + ChaosReport.millis(baselineMax))
				.figure("latency during the pause, p50 / p99 / max",
						ChaosReport.millis(ChaosLoad.percentileMillis(during, 50)) + " / "
								+ ChaosReport.millis(duringP99) + " / " + ChaosReport.millis(duringMax))
				.figure("heap used after a GC, before / at the end of the pause",
						(heapBefore >> 20) + " MB / " + (heapAtEnd >> 20) + " MB")
				.figure("breaker transitions", transitions);
			report.check("every request answered, none failed", failed.isEmpty(),
					failed.size() + " failed" + (failed.isEmpty() ? "" : ", first: " + failed.get(0)));
			report.check(
					"slowest request of the 30 s pause within 250 ms + 100 ms timer allowance + the slowest of the 30 s before it",
					duringMax <= baselineMax + extra,
					ChaosReport.millis(duringMax) + " against " + ChaosReport.millis(baselineMax + extra));
			report.check("p99 during the pause within 250 ms + 100 ms + the p99 before it",
					duringP99 <= baselineP99 + extra,
					ChaosReport.millis(duringP99) + " against " + ChaosReport.millis(baselineP99 + extra));
			report.check("heap bounded: grows less than 64 MB over the pause", heapAtEnd - heapBefore < HEAP_BOUND,
					((heapAtEnd - heapBefore) >> 20) + " MB");
			report.check("breaker opened on both instances during the pause", opened[0] && opened[1],
					"instance 0: " + opened[0] + ", instance 1: " + opened[1]);
			report.check("breaker closed again on both instances after Redis resumed", closedAfter != null,
					(closedAfter != null) ? "closed " + ChaosReport.format(closedAfter) + " after the resume"
							: "still not closed after 30 s");
		}
		report.writeAndAssert();
	}

	static CircuitBreaker breaker(Instance instance) {
		return instance.bean(CircuitBreakerRegistry.class).circuitBreaker("protevus-cache-redis");
	}

}
