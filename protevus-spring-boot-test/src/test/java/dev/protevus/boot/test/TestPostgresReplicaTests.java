package dev.protevus.boot.test;

import java.time.Duration;

import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class TestPostgresReplicaTests {

	private final TestPostgres primary = TestPostgres.get();

	private final TestPostgresReplica replica = TestPostgresReplica.get();

	@Test
	void replicaReplaysThePrimarysWritesAndFallsBehindWhileReplayIsPaused() {
		execute(this.primary.r2dbcUrl(), "CREATE TABLE IF NOT EXISTS replica_probe (id INT)");
		execute(this.primary.r2dbcUrl(), "INSERT INTO replica_probe VALUES (1)");
		await().atMost(Duration.ofSeconds(30)).until(this.replica::isCaughtUp);
		long rows = count(this.primary.r2dbcUrl());
		assertThat(count(this.replica.r2dbcUrl())).isEqualTo(rows);
		this.replica.pauseReplay();
		try {
			execute(this.primary.r2dbcUrl(), "INSERT INTO replica_probe VALUES (2)");
			assertThat(this.replica.isCaughtUp()).isFalse();
			assertThat(count(this.replica.r2dbcUrl())).isEqualTo(rows);
		}
		finally {
			this.replica.resumeReplay();
		}
		await().atMost(Duration.ofSeconds(30)).until(this.replica::isCaughtUp);
		assertThat(count(this.replica.r2dbcUrl())).isEqualTo(rows + 1);
	}

	@Test
	void replicaRefusesWrites() {
		execute(this.primary.r2dbcUrl(), "CREATE TABLE IF NOT EXISTS replica_probe (id INT)");
		await().atMost(Duration.ofSeconds(30)).until(this.replica::isCaughtUp);
		assertThat(Mono.from(connections(this.replica.r2dbcUrl()).create())
			.flatMapMany((connection) -> Flux
				.from(connection.createStatement("INSERT INTO replica_probe VALUES (3)").execute())
				.flatMap((result) -> result.getRowsUpdated())
				.doFinally((signal) -> connection.close()))
			.then(Mono.just("written"))
			.onErrorResume((ex) -> Mono.just(ex.getMessage()))
			.block(Duration.ofSeconds(10))).contains("read-only transaction");
	}

	@Test
	void statementsAreCountedOnTheServerThatRanThem() {
		execute(this.primary.r2dbcUrl(), "CREATE TABLE IF NOT EXISTS replica_count_probe (id INT)");
		await().atMost(Duration.ofSeconds(30)).until(this.replica::isCaughtUp);
		long onReplica = this.replica.replicaCalls("replica_count_probe");
		long onPrimary = this.replica.primaryCalls("replica_count_probe");
		count(this.replica.r2dbcUrl(), "replica_count_probe");
		count(this.replica.r2dbcUrl(), "replica_count_probe");
		assertThat(this.replica.replicaCalls("replica_count_probe")).isEqualTo(onReplica + 2);
		assertThat(this.replica.primaryCalls("replica_count_probe")).isEqualTo(onPrimary);
	}

	private long count(String url) {
		return count(url, "replica_probe");
	}

	private long count(String url, String table) {
		return Mono.from(connections(url).create())
			.flatMap((connection) -> Mono.from(connection.createStatement("SELECT count(*) FROM " + table).execute())
				.flatMap((result) -> Mono.from(result.map((row) -> row.get(0, Long.class))))
				.doFinally((signal) -> Mono.from(connection.close()).subscribe()))
			.block(Duration.ofSeconds(10));
	}

	private void execute(String url, String sql) {
		Mono.from(connections(url).create())
			.flatMap((connection) -> Flux.from(connection.createStatement(sql).execute())
				.flatMap((result) -> result.getRowsUpdated())
				.then()
				.doFinally((signal) -> Mono.from(connection.close()).subscribe()))
			.block(Duration.ofSeconds(10));
	}

	private ConnectionFactory connections(String url) {
		return ConnectionFactories.get(url.replace("://", "://" + this.primary.username() + "@"));
	}

}
