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
		if (!this.server.isEmbedded()) {
			// The URL names credentials and options. Boot pools these options itself
			// (spring.r2dbc.pool.*), so a pool: driver would nest a second pool.
			return ConnectionFactoryOptions.parse(this.server.r2dbcUrl().replaceFirst("^r2dbc:pool:", "r2dbc:"));
		}
		return ConnectionFactoryOptions.builder()
			.option(ConnectionFactoryOptions.DRIVER, "postgresql")
			.option(ConnectionFactoryOptions.HOST, this.server.host())
			.option(ConnectionFactoryOptions.PORT, this.server.port())
			.option(ConnectionFactoryOptions.DATABASE, this.server.database())
			.option(ConnectionFactoryOptions.USER, this.server.username())
			.build();
	}

}
