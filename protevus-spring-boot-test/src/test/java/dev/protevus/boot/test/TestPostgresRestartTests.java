package dev.protevus.boot.test;

import java.time.Duration;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

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

	private Mono<Long> count() {
		return Mono.usingWhen(this.connections.create(),
				(connection) -> Flux.from(connection.createStatement("SELECT count(*) FROM restart_probe").execute())
					.flatMap((result) -> result.map((row, metadata) -> row.get(0, Long.class)))
					.single(),
				Connection::close);
	}

}
