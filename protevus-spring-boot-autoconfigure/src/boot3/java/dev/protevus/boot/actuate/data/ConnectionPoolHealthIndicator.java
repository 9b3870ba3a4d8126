package dev.protevus.boot.actuate.data;

import java.time.Duration;

import io.r2dbc.pool.ConnectionPool;
import reactor.core.publisher.Mono;

import org.springframework.boot.actuate.health.AbstractReactiveHealthIndicator;
import org.springframework.boot.actuate.health.Health;

/**
 * Reports whether the pool can hand out a connection within its acquire time, with how
 * full it is: a saturated pool is DOWN even while the database itself is healthy. Its
 * details are the pool's {@code acquired}, {@code idle}, {@code pending} and {@code max}
 * counts.
 *
 * @since 0.1.0
 */
public class ConnectionPoolHealthIndicator extends AbstractReactiveHealthIndicator {

	private final ConnectionPool pool;

	private final Duration acquireTime;

	/**
	 * Creates the health indicator of a pool.
	 * @param pool the pool
	 * @param acquireTime how long a connection may take to be handed out before the pool
	 * is DOWN, usually the pool's maximum acquire time
	 */
	public ConnectionPoolHealthIndicator(ConnectionPool pool, Duration acquireTime) {
		super("Connection pool health check failed");
		this.pool = pool;
		this.acquireTime = acquireTime;
	}

	@Override
	protected Mono<Health> doHealthCheck(Health.Builder builder) {
		return ReadReplicaChecks.poolHealth(this.pool, this.acquireTime)
			.map((health) -> (health.up() ? builder.up() : builder.down()).withDetails(health.details()).build());
	}

}
