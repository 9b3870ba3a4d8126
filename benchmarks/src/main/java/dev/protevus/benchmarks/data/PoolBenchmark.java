package dev.protevus.benchmarks.data;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
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
 * 0.95 times the bare pool's. {@link RoundTrip} puts a network round trip between the
 * requests and the database.
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
	 * The network to the database, which the other states connect over:
	 * {@value Network#DIRECT}, or the round trip in microseconds that a
	 * {@link dev.protevus.benchmarks.net.LatencyProxy} adds. Connecting takes several
	 * round trips (the TCP handshake, the start-up message and its answer, then the
	 * statement), so what a pool saves grows with the round trip.
	 */
	@State(Scope.Benchmark)
	public static class RoundTrip {

		@Param({ Network.DIRECT, "500" })
		public String rttMicros;

		Network network;

		@Setup(Level.Trial)
		public void setUp() {
			this.network = Network.of(this.rttMicros);
		}

		@TearDown(Level.Trial)
		public void tearDown() {
			this.network.close();
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

		@Setup(Level.Trial)
		public void setUp(RoundTrip roundTrip) {
			this.connectionFactory = roundTrip.network.driver();
			requireAllRows("The driver", this.connectionFactory);
		}

	}

	/**
	 * r2dbc-pool around the driver.
	 */
	@State(Scope.Benchmark)
	public static class RawPool {

		ConnectionPool pool;

		@Setup(Level.Trial)
		public void setUp(RoundTrip roundTrip) {
			this.pool = DataFixtures.rawPool(roundTrip.network.driver(), DataFixtures.POOL_SIZE);
			requireAllRows("The pool", this.pool);
		}

		@TearDown(Level.Trial)
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

		@Setup(Level.Trial)
		public void setUp(RoundTrip roundTrip) {
			this.pool = DataFixtures.protevusPool(roundTrip.network.driver(), DataFixtures.POOL_SIZE, this.registry);
			requireAllRows("Protevus's pool", this.pool);
			// Proof that the statements pass through the listeners, not around them. A
			// statement is timed when its rows are done, which may be just after the
			// request that read them has completed, so the count is awaited.
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
			while (timed() < CONCURRENCY) {
				if (System.nanoTime() > deadline) {
					throw new IllegalStateException(
							"The statement timer recorded " + timed() + " of " + CONCURRENCY + " statements");
				}
				LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
			}
		}

		private long timed() {
			return this.registry.find("protevus.data.statements").timers().stream().mapToLong(Timer::count).sum();
		}

		@TearDown(Level.Trial)
		public void tearDown() {
			DataFixtures.close(this.pool);
		}

	}

}
