package dev.protevus.boot.data.pool;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.ToIntFunction;

import dev.protevus.boot.data.PoolUtilization;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.PoolMetrics;
import io.r2dbc.spi.ConnectionFactory;

/**
 * {@link PoolUtilization} read from r2dbc-pool's metrics; all zero when the application's
 * connection factory is not pooled. With read replicas it covers every pool: the counts
 * are their sums, and the {@link #utilization() utilization} is that of the fullest pool,
 * since a saturated primary is not relieved by idle replicas.
 *
 * @since 0.1.0
 */
public class ConnectionPoolUtilization implements PoolUtilization {

	private final List<ConnectionPool> pools;

	/**
	 * Creates the utilization of the pool behind a connection factory.
	 * @param connectionFactory the application's connection factory
	 */
	public ConnectionPoolUtilization(ConnectionFactory connectionFactory) {
		this(List.of(connectionFactory));
	}

	/**
	 * Creates the utilization of the pools behind several connection factories, such as a
	 * primary's and its read replicas'.
	 * @param connectionFactories the connection factories; those not pooled count nothing
	 * @since 0.1.0
	 */
	public ConnectionPoolUtilization(List<ConnectionFactory> connectionFactories) {
		List<ConnectionPool> pools = new ArrayList<>();
		connectionFactories.stream().map(ConnectionPools::find).filter(Objects::nonNull).forEach(pools::add);
		this.pools = List.copyOf(pools);
	}

	private int sum(ToIntFunction<PoolMetrics> count) {
		int sum = 0;
		for (ConnectionPool pool : this.pools) {
			sum += pool.getMetrics().map(count::applyAsInt).orElse(0);
		}
		return sum;
	}

	@Override
	public int acquired() {
		return sum(PoolMetrics::acquiredSize);
	}

	@Override
	public int idle() {
		return sum(PoolMetrics::idleSize);
	}

	@Override
	public int pending() {
		return sum(PoolMetrics::pendingAcquireSize);
	}

	@Override
	public int maxSize() {
		return sum(PoolMetrics::getMaxAllocatedSize);
	}

	@Override
	public double utilization() {
		double fullest = 0;
		for (ConnectionPool pool : this.pools) {
			PoolMetrics metrics = pool.getMetrics().orElse(null);
			if (metrics != null && metrics.getMaxAllocatedSize() > 0) {
				fullest = Math.max(fullest, (double) metrics.acquiredSize() / metrics.getMaxAllocatedSize());
			}
		}
		return fullest;
	}

}
