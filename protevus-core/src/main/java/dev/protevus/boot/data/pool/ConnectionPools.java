package dev.protevus.boot.data.pool;

import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Wrapped;

import org.springframework.lang.Nullable;

/**
 * Finds the r2dbc-pool behind a connection factory, through any proxies (r2dbc-proxy,
 * leak detection) wrapped around it.
 *
 * @since 0.1.0
 */
public final class ConnectionPools {

	private ConnectionPools() {
	}

	/**
	 * The pool behind a connection factory.
	 * @param connectionFactory the connection factory, maybe a pool or a wrapper of one
	 * @return the pool, or {@code null} if the factory is not pooled
	 */
	@Nullable
	public static ConnectionPool find(ConnectionFactory connectionFactory) {
		Object candidate = connectionFactory;
		for (int depth = 0; depth < 10 && candidate != null; depth++) {
			if (candidate instanceof ConnectionPool pool) {
				return pool;
			}
			candidate = (candidate instanceof Wrapped<?> wrapped) ? wrapped.unwrap() : null;
		}
		return null;
	}

}
