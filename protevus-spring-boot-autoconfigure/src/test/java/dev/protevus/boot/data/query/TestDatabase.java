package dev.protevus.boot.data.query;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import dev.protevus.boot.test.TestPostgres;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.proxy.ProxyConnectionFactory;
import io.r2dbc.proxy.core.QueryExecutionInfo;
import io.r2dbc.proxy.core.QueryInfo;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryOptions;
import reactor.core.publisher.Flux;

import org.springframework.data.r2dbc.core.R2dbcEntityTemplate;
import org.springframework.lang.Nullable;

/**
 * A database for the query tests, H2 in memory or the shared embedded PostgreSQL, reached
 * through an r2dbc-proxy that records every statement execution so tests can assert the
 * SQL sent and the number of round trips.
 */
final class TestDatabase implements AutoCloseable {

	private static final AtomicInteger h2Databases = new AtomicInteger();

	private final String name;

	@Nullable
	private final ConnectionPool pool;

	private final R2dbcEntityTemplate template;

	private final List<ExecutedStatement> executed = new CopyOnWriteArrayList<>();

	private TestDatabase(String name, ConnectionFactory connectionFactory, @Nullable ConnectionPool pool) {
		this.name = name;
		this.pool = pool;
		ConnectionFactory recording = ProxyConnectionFactory.builder((pool != null) ? pool : connectionFactory)
			.onAfterQuery(this::record)
			.build();
		this.template = new R2dbcEntityTemplate(recording);
	}

	static TestDatabase h2() {
		String url = "r2dbc:h2:mem:///qry" + h2Databases.incrementAndGet() + "?options=DB_CLOSE_DELAY=-1";
		// No pool: H2 blocks, so it must run on the subscribing test thread, never on a
		// pool's
		// scheduler, or BlockHound (rightly) fails the test.
		return new TestDatabase("H2", ConnectionFactories.get(url), null);
	}

	static TestDatabase postgres() {
		TestPostgres server = TestPostgres.get();
		ConnectionFactoryOptions.Builder options = ConnectionFactoryOptions.parse(server.r2dbcUrl()).mutate();
		if (server.username() != null) {
			options.option(ConnectionFactoryOptions.USER, server.username());
		}
		ConnectionFactory connectionFactory = ConnectionFactories.get(options.build());
		ConnectionPool pool = new ConnectionPool(
				ConnectionPoolConfiguration.builder(connectionFactory).initialSize(0).maxSize(4).build());
		return new TestDatabase("PostgreSQL", connectionFactory, pool);
	}

	private void record(QueryExecutionInfo info) {
		List<String> queries = info.getQueries().stream().map(QueryInfo::getQuery).toList();
		this.executed.add(new ExecutedStatement(String.join(";\n", queries), info.getBindingsSize()));
	}

	String name() {
		return this.name;
	}

	R2dbcEntityTemplate template() {
		return this.template;
	}

	/**
	 * Runs statements one after the other, from the calling (test) thread, and forgets
	 * them.
	 */
	void execute(String... statements) {
		Flux.fromArray(statements)
			.concatMap((sql) -> this.template.getDatabaseClient().sql(sql).fetch().rowsUpdated())
			.blockLast(Duration.ofSeconds(30));
		this.executed.clear();
	}

	List<ExecutedStatement> executed() {
		return List.copyOf(this.executed);
	}

	void forgetExecuted() {
		this.executed.clear();
	}

	@Override
	public void close() {
		if (this.pool != null) {
			this.pool.disposeLater().block(Duration.ofSeconds(10));
		}
	}

	@Override
	public String toString() {
		return this.name;
	}

	/**
	 * One execution of a statement as r2dbc-proxy saw it.
	 *
	 * @param sql the SQL text
	 * @param bindings how many binding sets it ran with
	 */
	record ExecutedStatement(String sql, int bindings) {

	}

}
