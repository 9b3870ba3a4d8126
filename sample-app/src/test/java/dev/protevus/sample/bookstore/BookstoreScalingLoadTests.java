package dev.protevus.sample.bookstore;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.awaitility.Awaitility.await;

/**
 * Drives the sample's deliberately small connection pool past its target: the verdict
 * becomes {@code SCALE_OUT} decided by {@code pool-utilization}; once the load is gone it
 * holds for the stabilisation window, then scales in. The other targets are set out of
 * reach, so that a busy build machine's CPU or event-loop lag cannot vote.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "protevus.cache.file.directory=${java.io.tmpdir}/protevus-sample-test-${random.uuid}",
				"spring.r2dbc.pool.initial-size=1", "spring.r2dbc.pool.max-size=2", "protevus.scaling.interval=100ms",
				"protevus.scaling.replicas.current=2", "protevus.scaling.scale-down-stabilization=2s",
				"protevus.scaling.targets.pool-utilization=0.5", "protevus.scaling.targets.cpu=1000",
				"protevus.scaling.targets.event-loop-lag=1h", "protevus.scaling.targets.p99-latency=1h" })
@SampleServerTest
class BookstoreScalingLoadTests {

	@Autowired
	private WebTestClient client;

	@Autowired
	private ConnectionFactory connectionFactory;

	@Test
	void aSaturatedPoolScalesOutThenHoldsForTheWindowThenScalesIn() {
		List<Connection> held = new ArrayList<>();
		try {
			for (int i = 0; i < 2; i++) {
				held.add(Mono.from(this.connectionFactory.create()).block(Duration.ofSeconds(5)));
			}
			await().untilAsserted(() -> scaling().jsonPath("$.verdict")
				.isEqualTo("SCALE_OUT")
				.jsonPath("$.decidedBy")
				.isEqualTo("pool-utilization")
				.jsonPath("$.desiredReplicas")
				.isEqualTo(4)
				.jsonPath("$.signals.pool-utilization.ratio")
				.isEqualTo(2.0));
		}
		finally {
			held.forEach((connection) -> Mono.from(connection.close()).block(Duration.ofSeconds(5)));
		}
		await().untilAsserted(() -> scaling().jsonPath("$.verdict")
			.isEqualTo("HOLD")
			.jsonPath("$.decidedBy")
			.isEqualTo("stabilization")
			.jsonPath("$.stabilization.holding")
			.isEqualTo(true));
		await().untilAsserted(
				() -> scaling().jsonPath("$.verdict").isEqualTo("SCALE_IN").jsonPath("$.desiredReplicas").isEqualTo(1));
	}

	private WebTestClient.BodyContentSpec scaling() {
		return this.client.get().uri("/actuator/scaling").exchange().expectStatus().isOk().expectBody();
	}

}
