package dev.protevus.boot.test;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;
import static org.awaitility.Awaitility.await;

class TestPostgresRestartTests {

	private final TestPostgres server = TestPostgres.get();

	private final ConnectionFactory connections = ConnectionFactories
		.get(this.server.r2dbcUrl().replace("://", "://" + this.server.username() + "@"));

	@Test
	void stoppedPostgresRefusesConnectionsAndComesBackWithItsDataAfterStart() {
		int port = this.server.port();
		StepVerifier
			.create(execute("CREATE TABLE IF NOT EXISTS restart_probe (id INT)")
				.then(execute("DELETE FROM restart_probe"))
				.then(execute("INSERT INTO restart_probe VALUES (42)")))
			.verifyComplete();
		try {
			this.server.stop();
			assertThat(this.server.isRunning()).isFalse();
			StepVerifier.create(count()).expectError().verify(Duration.ofSeconds(30));
		}
		finally {
			this.server.start();
		}
		assertThat(this.server.port()).isEqualTo(port);
		StepVerifier.create(count()).expectNext(1L).verifyComplete();
	}

	@Test
	void startAndStopAreIdempotent() {
		int port = this.server.port();
		assertAccepting();
		// A second embedded PostgreSQL on the same data directory would fail to start.
		this.server.start();
		assertThat(this.server.isRunning()).isTrue();
		StepVerifier.create(selectOne()).expectNext(1).verifyComplete();
		try {
			this.server.stop();
			assertThat(this.server.isRunning()).isFalse();
			assertRefusing();
			// Stopping what is already stopped must not touch the gone process.
			this.server.stop();
			assertThat(this.server.isRunning()).isFalse();
			assertRefusing();
		}
		finally {
			this.server.start();
		}
		assertThat(this.server.isRunning()).isTrue();
		assertThat(this.server.port()).isEqualTo(port);
		StepVerifier.create(selectOne()).expectNext(1).verifyComplete();
		this.server.start();
		assertThat(this.server.isRunning()).isTrue();
		StepVerifier.create(selectOne()).expectNext(1).verifyComplete();
	}

	@Test
	void pausedPostgresAnswersNothingUntilResumed() {
		StepVerifier.create(selectOne()).expectNext(1).verifyComplete();
		try {
			this.server.pause();
			this.server.pause();
			assertThat(this.server.isPaused()).isTrue();
			assertThat(this.server.isRunning()).isTrue();
			// The port still accepts (the kernel completes the handshake) but nothing
			// answers.
			StepVerifier.create(selectOne().timeout(Duration.ofSeconds(1)))
				.expectError(TimeoutException.class)
				.verify(Duration.ofSeconds(10));
		}
		finally {
			this.server.resume();
		}
		assertThat(this.server.isPaused()).isFalse();
		this.server.resume();
		StepVerifier.create(selectOne()).expectNext(1).verifyComplete();
	}

	@Test
	void stoppingAPausedPostgresStopsIt() {
		this.server.pause();
		try {
			this.server.stop();
			assertThat(this.server.isPaused()).isFalse();
			assertRefusing();
		}
		finally {
			this.server.start();
		}
		StepVerifier.create(selectOne()).expectNext(1).verifyComplete();
	}

	@Test
	void embeddedServerIsReachedAsThePostgresUser() {
		assertThat(this.server.isEmbedded()).isTrue();
		assertThat(this.server.springProperties()).containsEntry("spring.r2dbc.url", this.server.r2dbcUrl())
			.containsEntry("spring.r2dbc.username", "postgres");
	}

	private Mono<Void> execute(String sql) {
		return Mono.usingWhen(this.connections.create(),
				(connection) -> Flux.from(connection.createStatement(sql).execute())
					.flatMap((result) -> result.getRowsUpdated())
					.then(),
				Connection::close);
	}

	private void assertAccepting() {
		await().atMost(Duration.ofSeconds(30)).untilAsserted(this::connect);
	}

	private void assertRefusing() {
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThatIOException().isThrownBy(this::connect));
	}

	private void connect() throws IOException {
		new Socket(this.server.host(), this.server.port()).close();
	}

	private Mono<Integer> selectOne() {
		return Mono.usingWhen(this.connections.create(),
				(connection) -> Flux.from(connection.createStatement("SELECT 1").execute())
					.flatMap((result) -> result.map((row, metadata) -> row.get(0, Integer.class)))
					.single(),
				Connection::close);
	}

	private Mono<Long> count() {
		return Mono.usingWhen(this.connections.create(),
				(connection) -> Flux.from(connection.createStatement("SELECT count(*) FROM restart_probe").execute())
					.flatMap((result) -> result.map((row, metadata) -> row.get(0, Long.class)))
					.single(),
				Connection::close);
	}

}
