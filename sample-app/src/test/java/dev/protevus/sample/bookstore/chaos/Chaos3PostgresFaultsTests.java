package dev.protevus.sample.bookstore.chaos;

import java.time.Duration;
import java.util.List;

import dev.protevus.boot.data.PoolUtilization;
import dev.protevus.boot.test.TestPostgres;
import dev.protevus.sample.bookstore.chaos.ChaosInstances.Instance;
import dev.protevus.sample.bookstore.chaos.ChaosLoad.Sample;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;

/**
 * Scenario 3 of issue 21: PostgreSQL restarted, and separately every backend terminated,
 * while two instances serve database reads under load.
 */
@Tag("chaos")
class Chaos3PostgresFaultsTests {

	private static final int RATE = 40;

	private static final int MAX_SIZE = 10;

	private static final Duration MAX_ACQUIRE_TIME = Duration.ofSeconds(5);

	private static final Duration SETTLE = Duration.ofSeconds(1);

	@AfterEach
	void postgresRuns() {
		TestPostgres.get().start();
	}

	@Test
	void postgresRestartedUnderLoadFailsOnlyRequestsInFlightAndThePoolRecovers() {
		run("3a", "PostgreSQL restarted under load", "PostgreSQL stopped, then started again", () -> {
			TestPostgres.get().stop();
			TestPostgres.get().start();
			return "restarted";
		});
	}

	@Test
	void everyBackendTerminatedUnderLoadFailsOnlyRequestsInFlightAndThePoolRecovers() {
		run("3b", "Every PostgreSQL backend terminated under load",
				"every client backend terminated with pg_terminate_backend",
				() -> ChaosSql.terminateBackends() + " backends terminated");
	}

	private void run(String number, String title, String fault, java.util.function.Supplier<String> injection) {
		ChaosReport report = ChaosReport.scenario(number, title,
				"2 instances, each with a pool of " + MAX_SIZE + " (`spring.r2dbc.pool.max-size`), `max-acquire-time` "
						+ MAX_ACQUIRE_TIME.toSeconds() + " s; " + RATE
						+ " GET /books?limit=5 (uncached, one statement each) per second spread over both; after 5 s, "
						+ fault + "; the load goes on for 10 s more");
		try (ChaosInstances instances = ChaosInstances.start(2, "--spring.r2dbc.pool.max-size=" + MAX_SIZE,
				"--spring.r2dbc.pool.initial-size=" + MAX_SIZE,
				"--spring.r2dbc.pool.max-acquire-time=" + MAX_ACQUIRE_TIME.toMillis() + "ms");
				ChaosLoad load = new ChaosLoad("db", 64, Duration.ofSeconds(10))) {
			load.start(RATE, (n) -> instances.get((int) (n % 2)).url() + "/books?limit=5");
			long started = System.nanoTime();
			await().atMost(Duration.ofSeconds(60)).until(() -> ChaosInstances.elapsedSince(started).toSeconds() >= 5);
			long baselineBackends = ChaosSql.backends();
			long faulted = System.nanoTime();
			String done = injection.get();
			long recovered = System.nanoTime();
			await().atMost(Duration.ofSeconds(60))
				.until(() -> ChaosInstances.elapsedSince(recovered).toSeconds() >= 10);
			load.stop();
			boolean poolsIdle = true;
			try {
				await().atMost(Duration.ofSeconds(30))
					.until(() -> instances.all()
						.stream()
						.allMatch((instance) -> pool(instance).acquired() == 0 && pool(instance).pending() == 0));
			}
			catch (org.awaitility.core.ConditionTimeoutException ex) {
				poolsIdle = false;
			}
			long backendsAfter = ChaosSql.backends();

			List<Sample> samples = load.samples();
			List<Sample> failed = ChaosLoad.matching(samples, (sample) -> !sample.ok());
			List<Sample> badFailures = ChaosLoad.matching(failed,
					(sample) -> sample.status() != 503 || sample.contentType() == null
							|| !sample.contentType().startsWith("application/problem+json")
							|| sample.retryAfter() == null);
			long lateBound = recovered + MAX_ACQUIRE_TIME.plus(SETTLE).toNanos();
			List<Sample> lateFailures = ChaosLoad.matching(failed, (sample) -> sample.start() >= lateBound);
			List<Sample> earlyFailures = ChaosLoad.matching(failed, (sample) -> sample.end() < faulted);
			long firstFailure = failed.stream().mapToLong(Sample::start).min().orElse(faulted);
			long lastFailure = failed.stream().mapToLong(Sample::start).max().orElse(faulted);
			report.figure("fault", done + " in " + ChaosReport.format(Duration.ofNanos(recovered - faulted)))
				.figure("requests", samples.size())
				.figure("statuses", ChaosLoad.statuses(samples))
				.figure("failed requests started between",
						((firstFailure - faulted) / 1_000_000) + " ms and " + ((lastFailure - faulted) / 1_000_000)
								+ " ms after the fault began")
				.figure("latency p50 / p99 / max",
						ChaosReport.millis(ChaosLoad.percentileMillis(samples, 50)) + " / "
								+ ChaosReport.millis(ChaosLoad.percentileMillis(samples, 99)) + " / "
								+ ChaosReport.millis(ChaosLoad.maxMillis(samples)))
				.figure("backends before / after", baselineBackends + " / " + backendsAfter);
			report.check("failures are 503 application/problem+json with Retry-After", badFailures.isEmpty(),
					badFailures.size() + " other" + (badFailures.isEmpty() ? "" : ", first: " + badFailures.get(0)));
			report.check(
					"only requests in flight fail: none that ended before the fault, none started later than max-acquire-time + 1 s after the server is back",
					lateFailures.isEmpty() && earlyFailures.isEmpty(),
					earlyFailures.size() + " before, " + lateFailures.size() + " later"
							+ (lateFailures.isEmpty() ? "" : ", first: " + lateFailures.get(0)));
			report.check("recovery without restart: requests succeed again",
					!ChaosLoad.matching(ChaosLoad.startedBetween(samples, lateBound, Long.MAX_VALUE), Sample::ok)
						.isEmpty(),
					"successes after the bound");
			report.check("pool metrics back to baseline: acquired 0 and pending 0 on both instances", poolsIdle,
					instances.all()
						.stream()
						.map((instance) -> "acquired " + pool(instance).acquired() + ", idle " + pool(instance).idle()
								+ ", pending " + pool(instance).pending())
						.toList());
			report.check("PostgreSQL shows at most 2 × max-size connections", backendsAfter <= 2L * MAX_SIZE,
					backendsAfter + " backends");
		}
		report.writeAndAssert();
	}

	static PoolUtilization pool(Instance instance) {
		return instance.bean(PoolUtilization.class);
	}

}
