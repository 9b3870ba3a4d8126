package dev.protevus.sample.bookstore.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import dev.protevus.boot.data.statement.ObservedStatements;
import dev.protevus.boot.data.statement.StatementObserver;
import dev.protevus.sample.bookstore.chaos.ChaosLoad.Sample;
import io.netty.handler.codec.http.HttpMethod;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import org.springframework.boot.r2dbc.ConnectionFactoryDecorator;

import static org.awaitility.Awaitility.await;

/**
 * Scenario 7 of issue 21: a hot key expires while 500 requests for it arrive at once,
 * spread over two instances; each instance loads it at most once.
 */
@Tag("chaos")
class Chaos7HotKeyTests {

	private static final int CONCURRENT = 500;

	private static final int ROUNDS = 3;

	/**
	 * Longer than a round takes on a loaded machine, so that a round sees one expiry.
	 */
	private static final Duration TTL = Duration.ofSeconds(15);

	private static final long HOT = 7;

	@Test
	void anExpiredHotKeyIsLoadedAtMostOncePerInstance() {
		ChaosReport report = ChaosReport.scenario("7", "A hot key expires under 500 concurrent requests",
				"2 instances, `books` cache in memory and Redis with a ttl of " + TTL.toSeconds() + " s; " + ROUNDS
						+ " rounds: once book " + HOT + " has expired from every tier, " + CONCURRENT + " GET /books/"
						+ HOT
						+ " sent at once, half to each instance; the book's SELECTs counted on each instance's connection factory");
		Map<Integer, AtomicLong> selects = new ConcurrentHashMap<>();
		try (ChaosInstances instances = ChaosInstances.start(2, (context) -> {
			AtomicLong count = new AtomicLong();
			selects.put(selects.size(), count);
			StatementObserver observer = new StatementObserver() {
				@Override
				public void executing(String sql, reactor.util.context.ContextView context) {
					if (sql.contains("FROM books WHERE books.id")) {
						count.incrementAndGet();
					}
				}
			};
			context.registerBean("chaosStatementCounter", ConnectionFactoryDecorator.class,
					() -> (factory) -> new ObservedStatements(factory, List.of(observer)));
		}, "--protevus.cache.caches.books.ttl=" + TTL.toMillis() + "ms");
				ChaosLoad load = new ChaosLoad("hot", CONCURRENT, Duration.ofSeconds(30))) {
			// Earlier scenarios cached the book for minutes, in Redis too.
			((dev.protevus.boot.cache.TieredCache) instances.get(0)
				.bean(org.springframework.cache.CacheManager.class)
				.getCache("books")).clearAll().block(Duration.ofSeconds(30));
			List<String> perRound = new ArrayList<>();
			long fewest = Long.MAX_VALUE;
			long longestRound = 0;
			long worst = 0;
			int failed = 0;
			List<Sample> all = new ArrayList<>();
			for (int round = 0; round < ROUNDS; round++) {
				long quiet = System.nanoTime();
				// Expiry is what is under test: every entry was written before the quiet
				// moment, so after the ttl none is left in any tier.
				await().atMost(TTL.plusSeconds(10))
					.until(() -> ChaosInstances.elapsedSince(quiet).compareTo(TTL.plusMillis(200)) >= 0);
				long before0 = selects.get(0).get();
				long before1 = selects.get(1).get();
				long roundStart = System.nanoTime();
				List<Sample> samples = Flux.range(0, CONCURRENT)
					.flatMap((n) -> load.send(HttpMethod.GET, n,
							(i) -> instances.get((int) (i % 2)).url() + "/books/" + HOT, null), CONCURRENT)
					.collectList()
					.block(Duration.ofSeconds(60));
				longestRound = Math.max(longestRound, System.nanoTime() - roundStart);
				long loads0 = selects.get(0).get() - before0;
				long loads1 = selects.get(1).get() - before1;
				worst = Math.max(worst, Math.max(loads0, loads1));
				fewest = Math.min(fewest, loads0 + loads1);
				failed += ChaosLoad.count(samples, (status) -> status != 200);
				all.addAll(samples);
				perRound.add(loads0 + " + " + loads1);
			}
			report.figure("requests", all.size())
				.figure("statuses", ChaosLoad.statuses(all))
				.figure("loads per round, instance 0 + instance 1", perRound)
				.figure("longest round, from the first request sent to the last answer", Duration.ofNanos(longestRound))
				.figure("latency p50 / p99 / max",
						ChaosReport.millis(ChaosLoad.percentileMillis(all, 50)) + " / "
								+ ChaosReport.millis(ChaosLoad.percentileMillis(all, 99)) + " / "
								+ ChaosReport.millis(ChaosLoad.maxMillis(all)));
			report.check("at most 1 load of the key per instance per expiry", worst <= 1, "at most " + worst);
			report.check("every request answered 200", failed == 0, failed + " not 200");
			report.check("the expired key was loaded again in every round (the count sees the loads)", fewest >= 1,
					"at least " + fewest + " a round");
		}
		report.writeAndAssert();
	}

}
