package dev.protevus.sample.bookstore.chaos;

import java.time.Duration;
import java.util.List;

import dev.protevus.boot.data.PoolUtilization;
import dev.protevus.sample.bookstore.chaos.ChaosInstances.Instance;
import dev.protevus.sample.bookstore.chaos.ChaosLoad.Sample;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;

/**
 * Scenario 4 of issue 21: for 60 s clients give up on nearly every request after 1 to 5
 * ms while the instances are saturated; afterwards no connection is left acquired and
 * PostgreSQL holds no more connections than the pools may open.
 */
@Tag("chaos")
class Chaos4CancellationStormTests {

	private static final Duration STORM = Duration.ofSeconds(60);

	private static final int MAX_SIZE = 4;

	private static final int CONCURRENCY = 128;

	@Test
	void aStormOfCancelledRequestsLeavesNoConnectionAcquiredAndNoExtraBackend() {
		ChaosReport report = ChaosReport.scenario("4", "Cancellation storm", "2 instances, each with a pool of "
				+ MAX_SIZE + "; " + CONCURRENCY
				+ " clients send GET /books?limit=5 (uncached, one statement each) as fast as they can, spread over both, for "
				+ STORM.toSeconds() + " s, each giving up (closing its connection) after a random 1 to 5 ms");
		try (ChaosInstances instances = ChaosInstances.start(2, "--spring.r2dbc.pool.max-size=" + MAX_SIZE,
				"--spring.r2dbc.pool.initial-size=" + MAX_SIZE);
				ChaosLoad load = new ChaosLoad("storm", CONCURRENCY, Duration.ofMillis(5))) {
			load.timeouts((n) -> Duration.ofMillis(1 + (n * 7919) % 5));
			load.start(0, (n) -> instances.get((int) (n % 2)).url() + "/books?limit=5");
			long started = System.nanoTime();
			int[] maxAcquired = new int[2];
			long[] maxBackends = { 0 };
			await().atMost(STORM.plusSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
				for (Instance instance : instances.all()) {
					maxAcquired[instance.index()] = Math.max(maxAcquired[instance.index()], pool(instance).acquired());
				}
				maxBackends[0] = Math.max(maxBackends[0], ChaosSql.backends());
				return ChaosInstances.elapsedSince(started).compareTo(STORM) >= 0;
			});
			load.stop();
			boolean idle = true;
			try {
				await().atMost(Duration.ofSeconds(30))
					.until(() -> instances.all()
						.stream()
						.allMatch((instance) -> pool(instance).acquired() == 0 && pool(instance).pending() == 0));
			}
			catch (org.awaitility.core.ConditionTimeoutException ex) {
				idle = false;
			}
			long backends = ChaosSql.backends();
			long active = ChaosSql.single("SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'"
					+ " AND datname = current_database() AND pid <> pg_backend_pid() AND state = 'active'");
			List<Sample> samples = load.samples();
			Sample check = ChaosHttp.get(instances.get(0).url() + "/books?limit=5");
			report.figure("requests sent", samples.size())
				.figure("given up by the client",
						ChaosLoad.count(samples, (status) -> status == ChaosLoad.CLIENT_TIMEOUT))
				.figure("statuses", ChaosLoad.statuses(samples))
				.figure("most connections acquired at once, instance 0 / 1", maxAcquired[0] + " / " + maxAcquired[1])
				.figure("most backends seen during the storm", maxBackends[0])
				.figure("backends after / of them active", backends + " / " + active);
			report.check("afterwards acquired = 0 (and pending = 0) on both instances", idle, instances.all()
				.stream()
				.map((instance) -> "acquired " + pool(instance).acquired() + ", pending " + pool(instance).pending())
				.toList());
			report.check("PostgreSQL shows ≤ max-size connections per instance (≤ " + (2 * MAX_SIZE) + " for both)",
					backends <= 2L * MAX_SIZE, backends + " backends");
			report.check("the instances still answer", check.ok(), check.status());
		}
		report.writeAndAssert();
	}

	static PoolUtilization pool(Instance instance) {
		return instance.bean(PoolUtilization.class);
	}

}
