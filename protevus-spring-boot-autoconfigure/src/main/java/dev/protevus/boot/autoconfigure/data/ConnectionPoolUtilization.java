package dev.protevus.boot.autoconfigure.data;

import java.util.Optional;

import dev.protevus.boot.data.PoolUtilization;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.PoolMetrics;
import io.r2dbc.spi.ConnectionFactory;

/**
 * {@link PoolUtilization} read from r2dbc-pool's metrics; all zero when the application's
 * connection factory is not pooled.
 */
class ConnectionPoolUtilization implements PoolUtilization {

	private final ConnectionPool pool;

	ConnectionPoolUtilization(ConnectionFactory connectionFactory) {
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
