package dev.protevus.benchmarks.data;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

import dev.protevus.boot.actuate.data.StatementMetrics;
import dev.protevus.boot.data.statement.ObservedStatements;
import dev.protevus.boot.data.statement.SlowQueryLog;
import io.micrometer.core.instrument.MeterRegistry;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryOptions;
import io.r2dbc.spi.Result;
import io.r2dbc.spi.ValidationDepth;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.data.r2dbc.core.R2dbcEntityTemplate;

/**
 * What the database benchmarks share: the PostgreSQL they talk to, the connection stacks
 * they compare, and the housekeeping of the {@code bench_} tables they create.
 */
final class DataFixtures {

	/**
	 * Protevus's default {@code spring.r2dbc.pool.max-size} on this machine.
	 */
	static final int POOL_SIZE = Math.max(10, 4 * Runtime.getRuntime().availableProcessors());

	/**
	 * Protevus's default {@code spring.r2dbc.pool.max-acquire-time}.
	 */
	static final Duration MAX_ACQUIRE_TIME = Duration.ofSeconds(5);

	/**
	 * Protevus's default {@code protevus.data.slow-query-threshold}.
	 */
	static final Duration SLOW_QUERY_THRESHOLD = Duration.ofMillis(200);

	/**
	 * How long setup and teardown wait for the database: far longer than they need, so
	 * that only a hung database fails them.
	 */
	static final Duration TIMEOUT = Duration.ofMinutes(2);

	private DataFixtures() {
	}

	/**
	 * The server's address from the {@code pg.host} and {@code pg.port} system
	 * properties.
	 */
	static InetSocketAddress server() {
		return InetSocketAddress.createUnresolved(System.getProperty("pg.host", "127.0.0.1"),
				Integer.getInteger("pg.port", 5432));
	}

	/**
	 * The connection options of the {@link #server()}.
	 */
	static ConnectionFactoryOptions options() {
		return options(server());
	}

	/**
	 * The connection options from the {@code pg.*} system properties, with the server at
	 * {@code address}, the server's or a proxy's; {@code pg.password} is left out unless
	 * set, for servers with trust authentication.
	 */
	static ConnectionFactoryOptions options(InetSocketAddress address) {
		ConnectionFactoryOptions.Builder options = ConnectionFactoryOptions.builder()
			.option(ConnectionFactoryOptions.DRIVER, "postgresql")
			.option(ConnectionFactoryOptions.HOST, address.getHostString())
			.option(ConnectionFactoryOptions.PORT, address.getPort())
			.option(ConnectionFactoryOptions.DATABASE, System.getProperty("pg.database", "test"))
			.option(ConnectionFactoryOptions.USER, System.getProperty("pg.user", "postgres"));
		String password = System.getProperty("pg.password");
		if (password != null) {
			options.option(ConnectionFactoryOptions.PASSWORD, password);
		}
		return options.build();
	}

	/**
	 * The driver's own factory, which opens a new connection for every {@code create()}.
	 */
	static ConnectionFactory driver() {
		return ConnectionFactories.get(options());
	}

	/**
	 * The driver's own factory for connections to {@code address}.
	 */
	static ConnectionFactory driver(InetSocketAddress address) {
		return ConnectionFactories.get(options(address));
	}

	/**
	 * An r2dbc-pool with its own defaults and only the size set, around the bare driver.
	 */
	static ConnectionPool rawPool(int size) {
		return rawPool(driver(), size);
	}

	/**
	 * An r2dbc-pool with its own defaults and only the size set, around {@code driver}.
	 */
	static ConnectionPool rawPool(ConnectionFactory driver, int size) {
		return warmedUp(ConnectionPoolConfiguration.builder(driver).initialSize(size).maxSize(size).build(), size);
	}

	/**
	 * The stack of a Protevus application with a meter registry, built as Spring Boot
	 * builds it: the driver, Protevus's statement observation around it (applied by Boot
	 * as a {@code ConnectionFactoryDecorator}), and the pool around that, configured from
	 * Boot's pool defaults with Protevus's acquire time, then warmed up as Protevus does
	 * at start-up. Both sizes are {@code size}, as in the raw pool, so that both start
	 * with every connection open (Boot's {@code initial-size} of 10 would open fewer on
	 * machines with more than 2 CPUs).
	 */
	static ConnectionPool protevusPool(int size, MeterRegistry registry) {
		return protevusPool(driver(), size, registry);
	}

	/**
	 * The {@link #protevusPool(int, MeterRegistry) stack of a Protevus application}
	 * around {@code driver}.
	 */
	static ConnectionPool protevusPool(ConnectionFactory driver, int size, MeterRegistry registry) {
		ConnectionFactory observed = new ObservedStatements(driver,
				List.of(new SlowQueryLog(SLOW_QUERY_THRESHOLD), new StatementMetrics(registry)));
		// Every value Boot maps from spring.r2dbc.pool.* with Protevus's defaults,
		// spelled out even
		// where it equals r2dbc-pool's own, so that the stack reads as Boot configures
		// it.
		return warmedUp(ConnectionPoolConfiguration.builder(observed)
			.maxIdleTime(Duration.ofMinutes(30))
			.maxAcquireTime(MAX_ACQUIRE_TIME)
			.acquireRetry(1)
			.initialSize(size)
			.maxSize(size)
			.validationDepth(ValidationDepth.LOCAL)
			.build(), size);
	}

	static R2dbcEntityTemplate template(ConnectionFactory connectionFactory) {
		return new R2dbcEntityTemplate(connectionFactory);
	}

	/**
	 * Opens all the pool's connections before measuring, so that no benchmark pays for
	 * connecting on its first operations.
	 */
	private static ConnectionPool warmedUp(ConnectionPoolConfiguration configuration, int size) {
		ConnectionPool pool = new ConnectionPool(configuration);
		Integer opened = pool.warmup().block(TIMEOUT);
		if (opened == null || opened < size) {
			pool.dispose();
			throw new IllegalStateException("Opened " + opened + " of " + size + " pooled connections");
		}
		return pool;
	}

	/**
	 * Runs statements one after the other on a connection of their own, outside the
	 * stacks under test so that fixture statements never reach their listeners or meters.
	 */
	static void execute(String... statements) {
		Mono.usingWhen(driver().create(), (connection) -> Flux.fromArray(statements)
			.concatMap((sql) -> Flux.from(connection.createStatement(sql).execute()).concatMap(Result::getRowsUpdated))
			.then(), Connection::close).block(TIMEOUT);
	}

	/**
	 * Creates the authors and books that the eager and lazy load benchmarks read:
	 * {@code authors} authors with {@code booksPerAuthor} books each, dropping any left
	 * by a killed run first. Books interleave across authors, as rows written over time
	 * do; the index on {@code author_id} is the one every schema has for its foreign key,
	 * and spares a statement per author a scan.
	 */
	static void createAuthorsAndBooks(int authors, int booksPerAuthor) {
		dropAuthorsAndBooks();
		execute("CREATE TABLE bench_authors (id bigint PRIMARY KEY, name text NOT NULL)",
				"CREATE TABLE bench_books (id bigint PRIMARY KEY, author_id bigint NOT NULL REFERENCES bench_authors,"
						+ " title text NOT NULL, published int NOT NULL)",
				"INSERT INTO bench_authors SELECT g, 'Author ' || g FROM generate_series(1, " + authors + ") g",
				"INSERT INTO bench_books SELECT g, (g % " + authors + ") + 1, 'Book ' || g, 1900 + g % 125"
						+ " FROM generate_series(1, " + (authors * booksPerAuthor) + ") g",
				"CREATE INDEX bench_books_author_id ON bench_books (author_id)", "ANALYZE bench_authors",
				"ANALYZE bench_books");
	}

	static void dropAuthorsAndBooks() {
		execute("DROP TABLE IF EXISTS bench_books", "DROP TABLE IF EXISTS bench_authors");
	}

	static void close(ConnectionPool pool) {
		pool.disposeLater().block(TIMEOUT);
	}

	/**
	 * Fails unless a way under test returns what the reference does, so that a faster
	 * result can never be a wrong one.
	 */
	static void requireSame(String what, Object expected, Object actual) {
		if (!Objects.equals(expected, actual)) {
			throw new IllegalStateException(what + " returned something else than the reference: " + actual);
		}
	}

}
