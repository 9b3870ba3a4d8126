package dev.protevus.boot.autoconfigure.data;

import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Wrapped;

import org.springframework.lang.Nullable;

/**
 * Finds the r2dbc-pool behind a connection factory, through any proxies (r2dbc-proxy,
 * leak detection) wrapped around it.
 */
final class ConnectionPools {

	private ConnectionPools() {
	}

	@Nullable
	static ConnectionPool find(ConnectionFactory connectionFactory) {
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
