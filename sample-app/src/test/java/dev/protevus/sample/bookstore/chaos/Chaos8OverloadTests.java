package dev.protevus.sample.bookstore.chaos;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.protevus.sample.bookstore.chaos.ChaosInstances.Instance;
import dev.protevus.sample.bookstore.chaos.ChaosLoad.Sample;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

import static org.awaitility.Awaitility.await;

/**
 * Scenario 8 of issue 21: three times the rate an instance sustains, for 30 s. The
 * in-flight limit refuses the excess at once with 503 and {@code Retry-After}, so the
 * requests it admits keep their normal latency; shedding takes readiness away, and the
 * scaling endpoint asks for more replicas during the overload and holds after it.
 * <p>
 * The work is a statement that holds its connection for 50 ms ({@code pg_sleep}, through
 * the sample's pool and every Protevus filter), so what one instance sustains is known:
 * its pool's connections divided by 50 ms.
 */
@Tag("chaos")
class Chaos8OverloadTests {

	private static final int MAX_SIZE = 8;

	private static final Duration WORK = Duration.ofMillis(50);

	private static final int SUSTAINABLE = (int) (MAX_SIZE * 1000 / WORK.toMillis());

	private static final int NORMAL_RATE = SUSTAINABLE / 4;

	private static final int OVERLOAD_RATE = 3 * SUSTAINABLE;

	private static final Duration NORMAL = Duration.ofSeconds(15);

	private static final Duration OVERLOAD = Duration.ofSeconds(30);

	private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);

	/**
	 * How far past the request timeout an answer may come on a loaded machine: the
	 * timer's tick and the time to write the 504.
	 */
	private static final Duration TIMEOUT_SLACK = Duration.ofMillis(250);

	@Test
	void overloadIsRefusedAtOnceWhileAdmittedRequestsKeepTheirLatency() {
		ChaosReport report = ChaosReport
			.scenario("8", "Overload: 3× the sustainable rate for 30 s", "1 instance, a pool of " + MAX_SIZE
					+ " and `protevus.web.max-in-flight: " + MAX_SIZE + "`, `request-timeout: "
					+ REQUEST_TIMEOUT.toSeconds()
					+ "s`; GET /chaos/work (a route the test adds) runs `SELECT pg_sleep(0.05)`, so the instance sustains "
					+ SUSTAINABLE + " requests/s. Scaling sampled every second with an `in-flight` target of "
					+ (MAX_SIZE / 2) + " and shedding at 1.5× it (hold 3 s). Open-loop load: " + NORMAL_RATE + "/s for "
					+ NORMAL.toSeconds() + " s to warm up, " + NORMAL.toSeconds() + " s measured as normal, then "
					+ OVERLOAD_RATE + "/s for " + OVERLOAD.toSeconds()
					+ " s; readiness and GET /actuator/scaling polled every 250 ms");
		try (ChaosInstances instances = ChaosInstances.start(1,
				(context) -> context.registerBean("chaosWork", RouterFunction.class,
						() -> work(context.getBean(DatabaseClient.class))),
				"--spring.r2dbc.pool.max-size=" + MAX_SIZE, "--spring.r2dbc.pool.initial-size=" + MAX_SIZE,
				"--protevus.web.max-in-flight=" + MAX_SIZE, "--protevus.web.request-timeout=" + REQUEST_TIMEOUT,
				"--protevus.scaling.interval=1s", "--protevus.scaling.targets.in-flight=" + (MAX_SIZE / 2),
				"--protevus.scaling.shed.enabled=true", "--protevus.scaling.shed.threshold=1.5",
				"--protevus.scaling.shed.hold=3s");
				ChaosLoad warmUp = new ChaosLoad("warm-up", 64, REQUEST_TIMEOUT.multipliedBy(5));
				ChaosLoad normal = new ChaosLoad("normal", 64, REQUEST_TIMEOUT.multipliedBy(5));
				ChaosLoad overload = new ChaosLoad("overload", 256, REQUEST_TIMEOUT.multipliedBy(5))) {
			Instance instance = instances.get(0);
			String work = instance.url() + "/chaos/work";
			// A cold instance is slow for its first requests; the warm-up's are not
			// counted.
			run(warmUp.start(NORMAL_RATE, (n) -> work), NORMAL, null);
			run(normal.start(NORMAL_RATE, (n) -> work), NORMAL, null);
			Observed during = new Observed();
			long overloadStart = System.nanoTime();
			run(overload.start(OVERLOAD_RATE, (n) -> work), OVERLOAD, () -> during.poll(instance, overloadStart));
			long overloadEnd = System.nanoTime();
			Observed after = new Observed();
			boolean recovered = true;
			try {
				await().atMost(Duration.ofSeconds(60))
					.pollInterval(Duration.ofMillis(250))
					.until(() -> after.poll(instance, overloadEnd) && after.ready() && "HOLD".equals(after.verdict()));
			}
			catch (ConditionTimeoutException ex) {
				recovered = false;
			}
			List<Sample> before = normal.samples();
			List<Sample> all = overload.samples();
			List<Sample> admitted = ChaosLoad.matching(all, Sample::ok);
			List<Sample> refused = ChaosLoad.matching(all, (sample) -> sample.status() == 503);
			long refusedWithRetryAfter = refused.stream()
				.filter((sample) -> sample.retryAfter() != null && sample.contentType() != null
						&& sample.contentType().startsWith("application/problem+json"))
				.count();
			long other = all.size() - admitted.size() - refused.size();
			double normalP99 = ChaosLoad.percentileMillis(ChaosLoad.matching(before, Sample::ok), 99);
			double admittedP99 = ChaosLoad.percentileMillis(admitted, 99);
			double longest = ChaosLoad.maxMillis(all);
			long normalFailed = ChaosLoad.count(before, (status) -> status != 200);
			report.figure("normal: requests, statuses", before.size() + ", " + ChaosLoad.statuses(before))
				.figure("normal: latency p50 / p99 / max",
						ChaosReport.millis(ChaosLoad.percentileMillis(before, 50)) + " / "
								+ ChaosReport.millis(normalP99) + " / "
								+ ChaosReport.millis(ChaosLoad.maxMillis(before)))
				.figure("overload: requests, statuses", all.size() + ", " + ChaosLoad.statuses(all))
				.figure("overload: requests the client could not send (its 256 slots full)", overload.dropped())
				.figure("overload: admitted per second", String.format("%.0f", admitted.size() / seconds(OVERLOAD)))
				.figure("overload: admitted latency p50 / p99 / max",
						ChaosReport.millis(ChaosLoad.percentileMillis(admitted, 50)) + " / "
								+ ChaosReport.millis(admittedP99) + " / "
								+ ChaosReport.millis(ChaosLoad.maxMillis(admitted)))
				.figure("overload: 503 latency p50 / p99",
						ChaosReport.millis(ChaosLoad.percentileMillis(refused, 50)) + " / "
								+ ChaosReport.millis(ChaosLoad.percentileMillis(refused, 99)))
				.figure("overload: readiness first refusing after", during.firstNotReady())
				.figure("overload: scaling verdicts seen", during.verdicts())
				.figure("after: scaling verdicts seen", after.verdicts())
				.figure("after: readiness accepting and verdict HOLD after", after.settledAfter());
			report.check("normal load answered 200", normalFailed == 0, normalFailed + " not 200");
			report.check("the excess refused with 503 problem+json and Retry-After",
					!refused.isEmpty() && refusedWithRetryAfter == refused.size(),
					refusedWithRetryAfter + " of " + refused.size() + " 503s");
			report.check("every request answered 200 or 503 (no 504, no error, no client time-out)", other == 0,
					other + " others");
			report.check("no request waits past the request timeout",
					longest <= REQUEST_TIMEOUT.plus(TIMEOUT_SLACK).toMillis(),
					"longest " + ChaosReport.millis(longest));
			report.check("p99 of admitted requests within 2× of normal", admittedP99 <= 2 * normalP99,
					ChaosReport.millis(admittedP99) + " vs " + ChaosReport.millis(normalP99));
			report.check("shedding took readiness away during the overload", during.firstNotReady() != null,
					String.valueOf(during.firstNotReady()));
			report.check("the scaling endpoint said SCALE_OUT during the overload",
					during.verdicts().contains("SCALE_OUT"), during.verdicts());
			report.check("readiness back and the verdict HOLD after it", recovered, after.settledAfter());
		}
		report.writeAndAssert();
	}

	private static RouterFunction<ServerResponse> work(DatabaseClient database) {
		double seconds = WORK.toMillis() / 1000.0;
		return RouterFunctions.route()
			.GET("/chaos/work",
					(request) -> database.sql("SELECT pg_sleep(" + seconds + ")")
						.map((row, metadata) -> true)
						.all()
						.then(ServerResponse.ok().bodyValue("{\"done\":true}")))
			.build();
	}

	/**
	 * Runs the load for the given time, polling every 250 ms meanwhile, then stops it.
	 */
	private static void run(ChaosLoad load, Duration duration, Runnable poll) {
		long started = System.nanoTime();
		await().atMost(duration.plusSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() -> {
			if (poll != null) {
				poll.run();
			}
			return ChaosInstances.elapsedSince(started).compareTo(duration) >= 0;
		});
		load.stop();
	}

	private static double seconds(Duration duration) {
		return duration.toMillis() / 1000.0;
	}

	/**
	 * What readiness and the scaling endpoint said, polled.
	 */
	private static final class Observed {

		private static final Pattern VERDICT = Pattern.compile("\"verdict\"\\s*:\\s*\"([A-Z_]+)\"");

		private static final Pattern DECIDED_BY = Pattern.compile("\"decidedBy\"\\s*:\\s*\"([a-z0-9-]+)\"");

		private final AtomicReference<Duration> firstNotReady = new AtomicReference<>();

		private final Set<String> verdicts = new ConcurrentSkipListSet<>();

		private final AtomicReference<String> verdict = new AtomicReference<>();

		private final AtomicLong ready = new AtomicLong(-1);

		private volatile Duration settledAfter;

		/**
		 * Polls both; returns whether both answered.
		 */
		boolean poll(Instance instance, long since) {
			Sample readiness = ChaosHttp.get(instance.url() + "/actuator/health/readiness");
			this.ready.set(readiness.status() == 200 ? 1 : 0);
			if (readiness.status() == 503) {
				this.firstNotReady.compareAndSet(null, ChaosInstances.elapsedSince(since));
			}
			Sample scaling = ChaosHttp.get(instance.url() + "/actuator/scaling");
			if (scaling.status() != 200) {
				return false;
			}
			Matcher verdict = VERDICT.matcher(scaling.body());
			if (!verdict.find()) {
				return false;
			}
			Matcher decidedBy = DECIDED_BY.matcher(scaling.body());
			this.verdict.set(verdict.group(1));
			this.verdicts.add(verdict.group(1) + (decidedBy.find() ? " (" + decidedBy.group(1) + ")" : ""));
			if (ready() && "HOLD".equals(verdict.group(1)) && this.settledAfter == null) {
				this.settledAfter = ChaosInstances.elapsedSince(since);
			}
			return readiness.status() == 200 || readiness.status() == 503;
		}

		boolean ready() {
			return this.ready.get() == 1;
		}

		String verdict() {
			return this.verdict.get();
		}

		Duration firstNotReady() {
			return this.firstNotReady.get();
		}

		String verdicts() {
			return String.join(", ", this.verdicts);
		}

		Duration settledAfter() {
			return this.settledAfter;
		}

	}

}
