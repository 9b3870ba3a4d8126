package dev.protevus.boot.test;

import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.lang.Nullable;

/**
 * {@link DataRedisConnectionDetails} for {@link TestRedis}: a standalone server, which
 * Spring Boot's Redis auto-configuration uses instead of the {@code spring.data.redis}
 * URL, host, port, database, credentials, SSL, sentinel and cluster settings, as it does
 * for a Testcontainers {@code @ServiceConnection}.
 */
final class TestRedisConnectionDetails implements DataRedisConnectionDetails {

	private final TestRedis server;

	TestRedisConnectionDetails(TestRedis server) {
		this.server = server;
	}

	@Override
	@Nullable
	public String getUsername() {
		return this.server.urlUsername();
	}

	@Override
	@Nullable
	public String getPassword() {
		return this.server.urlPassword();
	}

	@Override
	public Standalone getStandalone() {
		return Standalone.of(this.server.host(), this.server.port(), this.server.urlDatabase());
	}

	// Boot 4 asks for the SSL bundle here rather than in Standalone.
	@Override
	@Nullable
	public SslBundle getSslBundle() {
		return this.server.urlUsesSsl() ? SslBundle.systemDefault() : null;
	}

}
