package dev.protevus.sample.bookstore.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

import dev.protevus.boot.cache.CacheTier;
import dev.protevus.boot.cache.TierStatistics;
import dev.protevus.boot.cache.TieredCache;
import dev.protevus.boot.test.TestRedis;
import dev.protevus.sample.bookstore.chaos.ChaosInstances.Instance;
import dev.protevus.sample.bookstore.chaos.ChaosLoad.Sample;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.lettuce.core.event.connection.ConnectionActivatedEvent;
import io.lettuce.core.resource.ClientResources;
import io.netty.handler.codec.http.HttpMethod;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

import org.springframework.cache.CacheManager;

import static org.awaitility.Awaitility.await;

/**
 * Scenario 1 of issue 21: Redis, the shared cache tier, is stopped while two instances
 * serve cached reads under load, then started again.
 */
@Tag("chaos")
class Chaos1RedisKilledTests {

	private static final int RATE = 40;

	private static final Duration OUTAGE = Duration.ofSeconds(8);

	private static final long OVERWRITTEN_DURING_OUTAGE = 150;

	private static final long OVERWRITTEN_AFTER_RESTART = 151;

	@AfterEach
	void redisRuns() {
		TestRedis.get().start();
	}

	@Test
	void cachedReadsNeverFailAndInstancesServeNoOverwrittenValueASecondAfterReconnecting() {
		ChaosReport report = ChaosReport
			.scenario("1", "Redis killed under load", "2 instances, `books` cache in memory and Redis; " + RATE
					+ " GET /books/{1..200} per second spread over both; " + "Redis stopped for " + OUTAGE.toSeconds()
					+ " s, then started; book 150 replaced on instance 0 during the outage, book 151 right after Redis is back, "
					+ "each read on instance 1 every 40 ms");
		Map<Integer, ConcurrentLinkedQueue<Long>> reconnects = new ConcurrentHashMap<>();
		List<Disposable> watches = new ArrayList<>();
		try (ChaosInstances instances = ChaosInstances.start(2);
				ChaosLoad load = new ChaosLoad("reads", 32, Duration.ofSeconds(10));
				ChaosLoad watcher = new ChaosLoad("watch", 4, Duration.ofSeconds(10))) {
			Instance writer = instances.get(0);
			Instance reader = instances.get(1);
			for (Instance instance : instances.all()) {
				ConcurrentLinkedQueue<Long> times = new ConcurrentLinkedQueue<>();
				reconnects.put(instance.index(), times);
				watches.add(instance.bean(ClientResources.class).eventBus().get().subscribe((event) -> {
					if (event instanceof ConnectionActivatedEvent) {
						times.add(System.nanoTime());
					}
				}));
			}
			String originalTitle = title(writer, OVERWRITTEN_DURING_OUTAGE);
			String laterTitle = title(writer, OVERWRITTEN_AFTER_RESTART);
			load.start(RATE, (n) -> instances.get((int) (n % 2)).url() + "/books/" + (1 + (n / 2) % 200));
			watcher.start(50, (n) -> reader.url() + "/books/"
					+ ((n % 2 == 0) ? OVERWRITTEN_DURING_OUTAGE : OVERWRITTEN_AFTER_RESTART));
			// Warm: both instances hold every book in memory and Redis.
			await().atMost(Duration.ofSeconds(30))
				.until(() -> instances.all()
					.stream()
					.allMatch((instance) -> books(instance).cacheStatistics().memorySize() >= 200));
			long stopped = System.nanoTime();
			TestRedis.get().stop();
			replace(writer, OVERWRITTEN_DURING_OUTAGE, "Replaced during the outage");
			await().atMost(OUTAGE.plusSeconds(30))
				.until(() -> ChaosInstances.elapsedSince(stopped).compareTo(OUTAGE) >= 0);
			Map<Integer, TierStatistics> before = new ConcurrentHashMap<>();
			instances.all().forEach((instance) -> before.put(instance.index(), redis(instance)));
			TestRedis.get().start();
			long restarted = System.nanoTime();
			Map<Integer, Duration> usedAgain = new ConcurrentHashMap<>();
			await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> {
				for (Instance instance : instances.all()) {
					TierStatistics now = redis(instance);
					TierStatistics then = before.get(instance.index());
					if (now.hits() + now.puts() > then.hits() + then.puts()) {
						usedAgain.putIfAbsent(instance.index(), ChaosInstances.elapsedSince(restarted));
					}
				}
				return usedAgain.size() == 2;
			});
			replace(writer, OVERWRITTEN_AFTER_RESTART, "Replaced after the restart");
			// Overwritten once the write has been answered.
			long afterRestartWrite = System.nanoTime();
			long readerReconnected = reconnects.get(reader.index())
				.stream()
				.filter((time) -> time >= restarted)
				.min(Long::compare)
				.orElse(Long.MAX_VALUE);
			// Load goes on for a while after the restart, so that late stale reads would
			// show.
			await().atMost(Duration.ofSeconds(30))
				.until(() -> ChaosInstances.elapsedSince(afterRestartWrite).toSeconds() >= 5);
			load.stop();
			watcher.stop();

			List<Sample> reads = load.samples();
			List<Sample> failed = ChaosLoad.matching(reads, (sample) -> !sample.ok());
			List<Sample> outageReads = ChaosLoad.startedBetween(reads, stopped, restarted);
			long bound = Math.max(readerReconnected, afterRestartWrite) + Duration.ofSeconds(1).toNanos();
			List<Sample> staleOutage = ChaosLoad.matching(watcher.samples(),
					(sample) -> sample.url().endsWith("/books/" + OVERWRITTEN_DURING_OUTAGE)
							&& sample.start() > readerReconnected + Duration.ofSeconds(1).toNanos()
							&& sample.body().contains("\"title\":\"" + originalTitle + "\""));
			List<Sample> staleLater = ChaosLoad.matching(watcher.samples(),
					(sample) -> sample.url().endsWith("/books/" + OVERWRITTEN_AFTER_RESTART) && sample.start() > bound
							&& sample.body().contains("\"title\":\"" + laterTitle + "\""));
			Duration reconnectedAfter = (readerReconnected != Long.MAX_VALUE)
					? Duration.ofNanos(readerReconnected - restarted) : null;
			report.figure("cached reads sent", reads.size())
				.figure("reads during the outage", outageReads.size())
				.figure("statuses", ChaosLoad.statuses(reads))
				.figure("read latency p50 / p99 / max during the outage",
						ChaosReport.millis(ChaosLoad.percentileMillis(outageReads, 50)) + " / "
								+ ChaosReport.millis(ChaosLoad.percentileMillis(outageReads, 99)) + " / "
								+ ChaosReport.millis(ChaosLoad.maxMillis(outageReads)))
				.figure("instance 1 reconnected after Redis started", reconnectedAfter)
				.figure("reads of the replaced books on instance 1", watcher.samples().size())
				.figure("book 150 on instance 1, from Redis's restart",
						timeline(watcher.samples(), OVERWRITTEN_DURING_OUTAGE, restarted))
				.figure("book 151 on instance 1, from Redis's restart",
						timeline(watcher.samples(), OVERWRITTEN_AFTER_RESTART, restarted))
				.figure("instance Lettuce connections activated, ms from Redis's restart",
						reconnects.entrySet()
							.stream()
							.map((entry) -> entry.getKey() + ": "
									+ entry.getValue()
										.stream()
										.filter((time) -> time >= restarted)
										.map((time) -> String.valueOf((time - restarted) / 1_000_000))
										.toList())
							.toList());
			report.check("0 failed cached reads", failed.isEmpty(),
					failed.size() + " failed" + (failed.isEmpty() ? "" : ", first: " + failed.get(0)));
			Duration slowest = usedAgain.values().stream().max(Duration::compareTo).orElseThrow();
			report.check("Redis tier used again within 5 s of restart", slowest.compareTo(Duration.ofSeconds(5)) <= 0,
					"instance 0 after " + ChaosReport.format(usedAgain.get(0)) + ", instance 1 after "
							+ ChaosReport.format(usedAgain.get(1)));
			report.check(
					"no read on instance 1 of a value replaced on instance 0 during the outage, later than 1 s after it reconnected",
					reconnectedAfter != null && staleOutage.isEmpty(),
					staleOutage.size() + " stale reads"
							+ (staleOutage.isEmpty() ? ""
									: ", the last " + Duration
										.ofNanos(staleOutage.get(staleOutage.size() - 1).start() - readerReconnected)
										.toMillis() + " ms after it reconnected"));
			report.check(
					"no read on instance 1 of a value replaced on instance 0 after the restart, later than 1 s after both the write's answer and its reconnection",
					staleLater.isEmpty(), staleLater.size() + " stale reads");
		}
		finally {
			watches.forEach(Disposable::dispose);
		}
		report.writeAndAssert();
	}

	/**
	 * When the title a reader saw changed, in ms from the given time.
	 */
	static String timeline(List<Sample> samples, long id, long from) {
		StringBuilder changes = new StringBuilder();
		String last = null;
		for (Sample sample : samples) {
			if (!sample.url().endsWith("/books/" + id)) {
				continue;
			}
			int start = sample.body().indexOf("\"title\":\"") + 9;
			String title = (start >= 9) ? sample.body().substring(start, sample.body().indexOf('"', start))
					: sample.status() + "";
			if (!title.equals(last)) {
				changes.append((changes.length() > 0) ? "; " : "")
					.append((sample.start() - from) / 1_000_000)
					.append(" ms: ")
					.append(title);
				last = title;
			}
		}
		return changes.toString();
	}

	static TierStatistics redis(Instance instance) {
		return books(instance).statistics(CacheTier.REDIS);
	}

	static TieredCache books(Instance instance) {
		return (TieredCache) instance.bean(CacheManager.class).getCache("books");
	}

	static CircuitBreaker breaker(Instance instance) {
		return instance.bean(CircuitBreakerRegistry.class).circuitBreaker("protevus-cache-redis");
	}

	static String title(Instance instance, long id) {
		String body = ChaosHttp.get(instance.url() + "/books/" + id).body();
		int start = body.indexOf("\"title\":\"") + 9;
		return body.substring(start, body.indexOf('"', start));
	}

	/**
	 * Replaces a book's title, trying again while the write times out on a loaded
	 * machine.
	 */
	static void replace(Instance instance, long id, String title) {
		Sample sample = null;
		for (int attempt = 0; attempt < 5 && (sample == null || !sample.ok()); attempt++) {
			sample = ChaosHttp.send(HttpMethod.PUT, instance.url() + "/books/" + id,
					"{\"authorId\":1,\"title\":\"" + title + " " + System.nanoTime() + "\"}");
		}
		if (!sample.ok()) {
			throw new IllegalStateException("Replacing book " + id + " failed: " + sample);
		}
	}

}
