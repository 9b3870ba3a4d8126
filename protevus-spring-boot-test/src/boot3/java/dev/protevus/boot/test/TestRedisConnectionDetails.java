package dev.protevus.boot.test;


import org.springframework.boot.autoconfigure.data.redis.RedisConnectionDetails;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.lang.Nullable;

/**
 * {@link RedisConnectionDetails} for {@link TestRedis}: a standalone server, which Spring
 * Boot's Redis auto-configuration uses instead of the {@code spring.data.redis} URL,
 * host, port, database, credentials, SSL, sentinel and cluster settings, as it does for a
 * Testcontainers {@code @ServiceConnection}.
 */
final class TestRedisConnectionDetails implements RedisConnectionDetails {

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
		SslBundle ssl = this.server.urlUsesSsl() ? SslBundle.systemDefault() : null;
		return Standalone.of(this.server.host(), this.server.port(), this.server.urlDatabase(), ssl);
	}

}
