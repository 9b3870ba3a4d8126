package dev.protevus.boot.test;

import java.net.URI;

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
		String userInfo = uri().getUserInfo();
		return (userInfo != null && userInfo.contains(":")) ? userInfo.substring(0, userInfo.indexOf(':')) : null;
	}

	@Override
	@Nullable
	public String getPassword() {
		String userInfo = uri().getUserInfo();
		if (userInfo == null) {
			return null;
		}
		return userInfo.contains(":") ? userInfo.substring(userInfo.indexOf(':') + 1) : userInfo;
	}

	@Override
	public Standalone getStandalone() {
		URI uri = uri();
		String path = uri.getPath();
		int database = (path != null && path.length() > 1) ? Integer.parseInt(path.substring(1)) : 0;
		SslBundle ssl = "rediss".equals(uri.getScheme()) ? SslBundle.systemDefault() : null;
		return Standalone.of(this.server.host(), this.server.port(), database, ssl);
	}

	private URI uri() {
		return URI.create(this.server.url());
	}

}
