package dev.protevus.boot.autoconfigure.data;

import java.time.Duration;

import io.r2dbc.pool.ConnectionPool;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;

import org.springframework.context.SmartLifecycle;

/**
 * Opens the pool's initial connections while the application starts, so that it reports
 * ready with them in place rather than opening them while the first requests wait. (With
 * r2dbc-pool 1.0.2 and r2dbc-postgresql 1.0.9 the connections land on different event
 * loops even when {@code initial-size} equals {@code max-size}, the case of r2dbc-pool
 * #190; DataPostgresTests checks that this stays so.)
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

	Mono<Integer> warmUp() {
		return this.pool.warmup();
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
