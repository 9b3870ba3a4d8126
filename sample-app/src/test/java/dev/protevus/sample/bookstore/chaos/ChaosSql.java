package dev.protevus.sample.bookstore.chaos;

import java.time.Duration;
import java.util.List;

import dev.protevus.boot.test.TestPostgres;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import reactor.core.publisher.Flux;

/**
 * Statements the test runs on the embedded PostgreSQL itself, on a connection of its own
 * (outside any instance's pool), from the test thread.
 */
final class ChaosSql {

	private ChaosSql() {
	}

	/**
	 * Runs a query and returns its first column as longs.
	 */
	static List<Long> longs(String sql) {
		TestPostgres postgres = TestPostgres.get();
		ConnectionFactory factory = ConnectionFactories.get("r2dbc:postgresql://" + postgres.username() + "@"
				+ postgres.host() + ":" + postgres.port() + "/" + postgres.database());
		return Flux
			.usingWhen(factory.create(),
					(connection) -> Flux.from(connection.createStatement(sql).execute())
						.flatMap((result) -> result.map((row, metadata) -> ((Number) row.get(0)).longValue())),
					Connection::close)
			.collectList()
			.block(Duration.ofSeconds(30));
	}

	/**
	 * Runs a query and returns its first column as text.
	 */
	static List<String> strings(String sql) {
		TestPostgres postgres = TestPostgres.get();
		ConnectionFactory factory = ConnectionFactories.get("r2dbc:postgresql://" + postgres.username() + "@"
				+ postgres.host() + ":" + postgres.port() + "/" + postgres.database());
		return Flux
			.usingWhen(factory.create(),
					(connection) -> Flux.from(connection.createStatement(sql).execute())
						.flatMap((result) -> result.map((row, metadata) -> String.valueOf(row.get(0)))),
					Connection::close)
			.collectList()
			.block(Duration.ofSeconds(30));
	}

	static long single(String sql) {
		return longs(sql).get(0);
	}

	/**
	 * Client connections open on the test database, the test's own one left out.
	 */
	static long backends() {
		return single("SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'"
				+ " AND datname = current_database() AND pid <> pg_backend_pid()");
	}

	/**
	 * Terminates every other client connection of the test database.
	 * @return how many were terminated
	 */
	static long terminateBackends() {
		// CASE, which tries its branches in order: PostgreSQL may evaluate the conditions
		// of a WHERE in any order, and would then terminate this connection too.
		return longs("SELECT CASE WHEN pid = pg_backend_pid() THEN 0 WHEN pg_terminate_backend(pid) THEN 1 ELSE 0 END"
				+ " FROM pg_stat_activity WHERE backend_type = 'client backend' AND datname = current_database()")
			.stream()
			.mapToLong(Long::longValue)
			.sum();
	}

}
