package dev.protevus.boot.test;

import io.r2dbc.spi.ConnectionFactoryOptions;

import org.springframework.boot.r2dbc.autoconfigure.R2dbcConnectionDetails;

/**
 * {@link R2dbcConnectionDetails} for {@link TestPostgres}, which Spring Boot's R2DBC
 * auto-configuration uses instead of {@code spring.r2dbc.url}, {@code username},
 * {@code password} and {@code properties}, as it does for a Testcontainers
 * {@code @ServiceConnection}.
 */
final class TestPostgresConnectionDetails implements R2dbcConnectionDetails {

	private final TestPostgres server;

	TestPostgresConnectionDetails(TestPostgres server) {
		this.server = server;
	}

	@Override
	public ConnectionFactoryOptions getConnectionFactoryOptions() {
		return this.server.connectionFactoryOptions();
	}

}
