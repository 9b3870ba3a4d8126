package dev.protevus.boot.data.pool;

import java.util.Optional;

import dev.protevus.boot.data.PoolUtilization;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.PoolMetrics;
import io.r2dbc.spi.ConnectionFactory;

import org.springframework.lang.Nullable;

/**
 * {@link PoolUtilization} read from r2dbc-pool's metrics; all zero when the application's
 * connection factory is not pooled.
 *
 * @since 0.1.0
 */
public class ConnectionPoolUtilization implements PoolUtilization {

	@Nullable
	private final ConnectionPool pool;

	/**
	 * Creates the utilization of the pool behind a connection factory.
	 * @param connectionFactory the application's connection factory
	 */
	public ConnectionPoolUtilization(ConnectionFactory connectionFactory) {
		this.pool = ConnectionPools.find(connectionFactory);
	}

	private Optional<PoolMetrics> metrics() {
		return (this.pool != null) ? this.pool.getMetrics() : Optional.empty();
	}

	@Override
	public int acquired() {
		return metrics().map(PoolMetrics::acquiredSize).orElse(0);
	}

	@Override
	public int idle() {
		return metrics().map(PoolMetrics::idleSize).orElse(0);
	}

	@Override
	public int pending() {
		return metrics().map(PoolMetrics::pendingAcquireSize).orElse(0);
	}

	@Override
	public int maxSize() {
		return metrics().map(PoolMetrics::getMaxAllocatedSize).orElse(0);
	}

}
