package dev.protevus.boot.data.pool;

import java.time.Duration;

import io.r2dbc.pool.ConnectionPool;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;

import org.springframework.context.SmartLifecycle;
import org.springframework.lang.Nullable;

/**
 * Opens the pool's initial connections while the application starts, so that it reports
 * ready with them in place rather than opening them while the first requests wait. (With
 * r2dbc-pool 1.0.2 and r2dbc-postgresql 1.0.9 the connections land on different event
 * loops even when {@code initial-size} equals {@code max-size}, the case of r2dbc-pool
 * #190; DataPostgresTests checks that this stays so.) A database that is down at start-up
 * is logged and does not stop the application.
 *
 * @since 0.1.0
 */
public class ConnectionPoolWarmup implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(ConnectionPoolWarmup.class);

	@Nullable
	private final ConnectionPool pool;

	private final int connections;

	private final Duration timeout;

	private volatile boolean running;

	/**
	 * Creates the warm-up of a pool.
	 * @param pool the pool, or {@code null} if the application's factory is not pooled
	 * @param connections how many connections to open; none when zero
	 * @param timeout how long start-up waits for them at most
	 */
	public ConnectionPoolWarmup(@Nullable ConnectionPool pool, int connections, Duration timeout) {
		this.pool = pool;
		this.connections = connections;
		this.timeout = timeout;
	}

	@Override
	public void start() {
		this.running = true;
		if (this.pool == null || this.connections <= 0) {
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

	private Mono<Integer> warmUp() {
		return (this.pool != null) ? this.pool.warmup() : Mono.just(0);
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
