package dev.protevus.sample.bookstore.chaos;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.protevus.boot.actuate.loadbalancer.LoadBalancerEndpoint;
import dev.protevus.boot.actuate.loadbalancer.LoadBalancerEndpoint.InstanceDescriptor;
import dev.protevus.sample.bookstore.chaos.ChaosInstances.Instance;
import dev.protevus.sample.bookstore.chaos.ChaosLoad.Sample;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.web.server.WebFilter;

import static org.awaitility.Awaitility.await;

/**
 * Scenario 6 of issue 21: behind the sample's {@code edge} profile (Spring Cloud Gateway
 * with Protevus's load balancer), one of two instances is killed and the other slowed;
 * GETs keep succeeding, the dead instance gets no request once it is ejected, and it is
 * taken back once it runs again.
 */
@Tag("chaos")
class Chaos6InstanceKilledTests {

	private static final int RATE = 40;

	private static final Duration SLOW = Duration.ofMillis(200);

	@Test
	void idempotentGetsThroughTheEdgeNeverFailWhileAnInstanceIsDeadAndAnotherSlow() {
		ChaosReport report = ChaosReport.scenario("6", "One instance killed, another slowed, behind the edge",
				"2 instances behind a third running the `edge` profile (Spring Cloud Gateway, `lb://bookstore` with round-robin, "
						+ "health checks every 2 s, outlier ejection after 5 failures for 5 s, Gateway's `Retry=3` filter); "
						+ RATE
						+ " GET /api/books/{1..200} per second to the edge; after 5 s instance 0 is killed (its context closed) and instance 1 slowed by "
						+ SLOW.toMillis()
						+ " ms a request; 10 s after instance 0 is ejected it starts again on its port and instance 1 is fast again");
		AtomicBoolean slow = new AtomicBoolean();
		try (ChaosInstances instances = ChaosInstances.start(2,
				(context) -> context.registerBean("chaosSlowDown", WebFilter.class, () -> (exchange,
						chain) -> (slow.get()
								&& "1".equals(context.getEnvironment().getProperty("protevus.chaos.instance")))
										? Mono.delay(SLOW).then(chain.filter(exchange)) : chain.filter(exchange)));
				ChaosLoad load = new ChaosLoad("edge", 64, Duration.ofSeconds(10))) {
			Instance dead = instances.get(0);
			Instance slowed = instances.get(1);
			Instance edge = instances.add((context) -> {
			}, "--spring.profiles.active=distributed,edge",
					"--protevus.loadbalancer.services.bookstore.instances=" + dead.url() + "," + slowed.url(),
					"--protevus.loadbalancer.services.bookstore.strategy=round-robin",
					"--protevus.loadbalancer.services.bookstore.outlier-detection.base-ejection-time=5s",
					"--spring.cloud.loadbalancer.stats.micrometer.enabled=true",
					"--spring.cloud.gateway.server.webflux.routes[0].id=bookstore-api",
					"--spring.cloud.gateway.server.webflux.routes[0].uri=lb://bookstore",
					"--spring.cloud.gateway.server.webflux.routes[0].predicates[0]=Path=/api/**",
					"--spring.cloud.gateway.server.webflux.routes[0].filters[0]=StripPrefix=1",
					"--spring.cloud.gateway.server.webflux.routes[0].filters[1]=Retry=3");
			load.start(RATE, (n) -> edge.url() + "/api/books/" + (1 + n % 200));
			long started = System.nanoTime();
			await().atMost(Duration.ofSeconds(60)).until(() -> ChaosInstances.elapsedSince(started).toSeconds() >= 5);
			long killed = System.nanoTime();
			dead.stop();
			slow.set(true);
			await().atMost(Duration.ofSeconds(60))
				.pollInterval(Duration.ofMillis(20))
				.until(() -> !state(edge, dead).state().equals("healthy"));
			long ejected = System.nanoTime();
			long attemptsAtEjection = attempts(edge, dead);
			await().atMost(Duration.ofSeconds(60)).until(() -> ChaosInstances.elapsedSince(ejected).toSeconds() >= 10);
			long attemptsBeforeRestart = attempts(edge, dead);
			String stateBeforeRestart = state(edge, dead).state();
			dead.restart();
			slow.set(false);
			long restarted = System.nanoTime();
			Duration readmitted = null;
			try {
				await().atMost(Duration.ofSeconds(60))
					.pollInterval(Duration.ofMillis(50))
					.until(() -> state(edge, dead).state().equals("healthy")
							&& attempts(edge, dead) > attemptsBeforeRestart);
				readmitted = ChaosInstances.elapsedSince(restarted);
			}
			catch (org.awaitility.core.ConditionTimeoutException ex) {
				// Reported below.
			}
			long end = System.nanoTime();
			await().atMost(Duration.ofSeconds(30)).until(() -> ChaosInstances.elapsedSince(end).toSeconds() >= 3);
			load.stop();
			List<Sample> samples = load.samples();
			List<Sample> failed = ChaosLoad.matching(samples, (sample) -> !sample.ok());
			List<Sample> during = ChaosLoad.startedBetween(samples, killed, restarted);
			report.figure("requests", samples.size())
				.figure("statuses", ChaosLoad.statuses(samples))
				.figure("instance 0 ejected after it was killed",
						ChaosReport.format(Duration.ofNanos(ejected - killed)))
				.figure("its state just before it started again", stateBeforeRestart)
				.figure("latency while instance 0 was dead and instance 1 slow, p50 / p99 / max",
						ChaosReport.millis(ChaosLoad.percentileMillis(during, 50)) + " / "
								+ ChaosReport.millis(ChaosLoad.percentileMillis(during, 99)) + " / "
								+ ChaosReport.millis(ChaosLoad.maxMillis(during)))
				.figure("requests the edge sent to instance 0 up to its ejection", attemptsAtEjection);
			report.check("0 failed idempotent GETs through the balancer", failed.isEmpty(),
					failed.size() + " failed" + (failed.isEmpty() ? "" : ", first: " + failed.get(0)));
			report.check("the dead instance gets nothing after its ejection",
					attemptsBeforeRestart == attemptsAtEjection,
					(attemptsBeforeRestart - attemptsAtEjection) + " requests");
			report.check("readmitted after recovery", readmitted != null, (readmitted != null)
					? "serving again " + ChaosReport.format(readmitted) + " after it started" : "not within 60 s");
		}
		report.writeAndAssert();
	}

	private static InstanceDescriptor state(Instance edge, Instance backend) {
		return edge.bean(LoadBalancerEndpoint.class)
			.service("bookstore")
			.instances()
			.stream()
			.filter((instance) -> instance.uri().contains(":" + backend.port()))
			.findFirst()
			.orElseThrow();
	}

	/**
	 * Requests the edge's load balancer sent to an instance, answered or failed, from
	 * Spring Cloud LoadBalancer's own meters.
	 */
	private static long attempts(Instance edge, Instance backend) {
		MeterRegistry registry = edge.bean(MeterRegistry.class);
		return registry.find("loadbalancer.requests.success")
			.tag("serviceInstance.port", String.valueOf(backend.port()))
			.timers()
			.stream()
			.mapToLong(Timer::count)
			.sum()
				+ registry.find("loadbalancer.requests.failed")
					.tag("serviceInstance.port", String.valueOf(backend.port()))
					.timers()
					.stream()
					.mapToLong(Timer::count)
					.sum();
	}

}
