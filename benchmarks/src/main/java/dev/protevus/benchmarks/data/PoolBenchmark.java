package dev.protevus.benchmarks.data;

import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * 64 concurrent {@code SELECT 1} requests, each acquiring a connection, running the
 * statement and releasing the connection, against three connection factories: the bare
 * driver, which connects for every request; r2dbc-pool with its defaults; and the stack
 * Protevus configures (the pool with a 5 s acquire time around the driver with Protevus's
 * slow-statement log and statement timer), both pools with the same size and warmed up.
 * Goals: the pools at least 5 times the driver's throughput, Protevus's stack at least
 * 0.95 times the bare pool's.
 * <p>
 * One operation sends the 64 requests from one thread with a {@code flatMap} and waits
 * for them all, as a reactive server does with 64 requests in flight on a few event
 * loops; 64 JMH threads blocking on one request each would mostly measure how the machine
 * schedules 64 threads. Requests beyond the pool's size queue in the pool, which is the
 * contention to measure.
 *
 * @since 0.1.0
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PoolBenchmark {

	static final int CONCURRENCY = 64;

	private static final String SQL = "SELECT 1";

	@Benchmark
	public int unpooled(Unpooled unpooled) {
		return selectOnes(unpooled.connectionFactory);
	}

	@Benchmark
	public int pool(RawPool pool) {
		return selectOnes(pool.pool);
	}

	@Benchmark
	public int protevus(ProtevusPool protevus) {
		return selectOnes(protevus.pool);
	}

	/**
	 * Runs the requests of one operation.
	 * @return the sum of the values read, {@link #CONCURRENCY} when every request read
	 * its row
	 */
	static int selectOnes(ConnectionFactory connectionFactory) {
		return Flux.range(0, CONCURRENCY)
			.flatMap((request) -> selectOne(connectionFactory), CONCURRENCY)
			.reduce(0, Integer::sum)
			.block();
	}

	private static Mono<Integer> selectOne(ConnectionFactory connectionFactory) {
		return Mono.usingWhen(connectionFactory.create(),
				(connection) -> Flux.from(connection.createStatement(SQL).execute())
					.concatMap((result) -> result.map((row) -> row.get(0, Integer.class)))
					.single(),
				Connection::close);
	}

	static void requireAllRows(String what, ConnectionFactory connectionFactory) {
		int read = selectOnes(connectionFactory);
		if (read != CONCURRENCY) {
			throw new IllegalStateException(what + " read " + read + " of " + CONCURRENCY + " rows");
		}
	}

	/**
	 * The driver's factory without a pool. Each benchmark method has its own state, so
	 * that a fork opens only the connections its method uses and leaves the server's
	 * others free.
	 */
	@State(Scope.Benchmark)
	public static class Unpooled {

		ConnectionFactory connectionFactory;

		@Setup
		public void setUp() {
			this.connectionFactory = DataFixtures.driver();
			requireAllRows("The driver", this.connectionFactory);
		}

	}

	/**
	 * r2dbc-pool around the driver.
	 */
	@State(Scope.Benchmark)
	public static class RawPool {

		ConnectionPool pool;

		@Setup
		public void setUp() {
			this.pool = DataFixtures.rawPool(DataFixtures.POOL_SIZE);
			requireAllRows("The pool", this.pool);
		}

		@TearDown
		public void tearDown() {
			DataFixtures.close(this.pool);
		}

	}

	/**
	 * The pool and the statement observation as a Protevus application has them.
	 */
	@State(Scope.Benchmark)
	public static class ProtevusPool {

		private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

		ConnectionPool pool;

		@Setup
		public void setUp() {
			this.pool = DataFixtures.protevusPool(DataFixtures.POOL_SIZE, this.registry);
			requireAllRows("Protevus's pool", this.pool);
			// Proof that the statements pass through the listeners, not around them.
			Timer statements = this.registry.find("protevus.data.statements").timer();
			if (statements == null || statements.count() < CONCURRENCY) {
				throw new IllegalStateException("The statement timer did not record the statements");
			}
		}

		@TearDown
		public void tearDown() {
			DataFixtures.close(this.pool);
		}

	}

}
