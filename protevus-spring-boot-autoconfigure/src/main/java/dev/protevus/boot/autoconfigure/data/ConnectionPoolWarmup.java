package dev.protevus.boot.autoconfigure.data;

import java.time.Duration;

import io.r2dbc.pool.ConnectionPool;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.context.SmartLifecycle;

/**
 * Opens the pool's initial connections while the application starts, so that it reports ready
 * with them in place. A driver built on Reactor Netty gives a connection the event loop of the
 * thread that opens it: a pool warmed up lazily by the first request, on an event loop, has every
 * connection on that one loop (r2dbc-pool #190). Warming up from a parallel thread spreads them.
 */
class ConnectionPoolWarmup implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(ConnectionPoolWarmup.class);

	private final ConnectionPool pool;

	private final int connections;

	private final Duration timeout;

	private volatile boolean running;

	ConnectionPoolWarmup(ConnectionPool pool, int connections, Duration timeout) {
		this.pool = pool;
		this.connections = connections;
		this.timeout = timeout;
	}

	@Override
	public void start() {
		this.running = true;
		if (this.connections <= 0) {
			return;
		}
		try {
			Integer opened = warmUp().block(this.timeout);
			logger.debug("Warmed up " + opened + " database connections");
		}
		catch (RuntimeException ex) {
			logger.warn("Could not open the initial " + this.connections
					+ " database connections at start-up; the pool opens them on demand instead: " + ex.getMessage());
		}
	}

	/**
	 * r2dbc-pool's warm-up, subscribed on a parallel thread: the connections are opened from a
	 * thread that is no event loop, so the driver spreads them over its loops.
	 */
	Mono<Integer> warmUp() {
		return this.pool.warmup().subscribeOn(Schedulers.parallel());
	}

	@Override
	public void stop() {
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		// Before the web server starts taking requests.
		return Integer.MIN_VALUE + 1000;
	}

}
