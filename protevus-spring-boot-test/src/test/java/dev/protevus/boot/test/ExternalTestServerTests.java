package dev.protevus.boot.test;

import java.net.URI;

import io.r2dbc.spi.ConnectionFactoryOptions;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class ExternalTestServerTests {

	@Test
	void externalPostgresIsDescribedByItsUrl() {
		TestPostgres postgres = new TestPostgres(
				"r2dbc:pool:postgresql://app:secret@db.example:6543/orders?sslMode=disable");
		assertThat(postgres.isEmbedded()).isFalse();
		assertThat(postgres.isRunning()).isTrue();
		assertThat(postgres.host()).isEqualTo("db.example");
		assertThat(postgres.port()).isEqualTo(6543);
		assertThat(postgres.database()).isEqualTo("orders");
		assertThat(postgres.username()).isEqualTo("app");
		assertThat(postgres.propertyValues()).containsExactly(
				"spring.r2dbc.url=r2dbc:pool:postgresql://app:secret@db.example:6543/orders?sslMode=disable");
	}

	@Test
	void externalPostgresDefaultsToThePostgresPort() {
		TestPostgres postgres = new TestPostgres("r2dbc:postgresql://127.0.0.1/test");
		assertThat(postgres.port()).isEqualTo(5432);
		assertThat(postgres.database()).isEqualTo("test");
		assertThat(postgres.username()).isNull();
	}

	@Test
	void externalRedisIsDescribedByItsUrl() {
		TestRedis redis = new TestRedis(URI.create("redis://cache.example:6380"));
		assertThat(redis.host()).isEqualTo("cache.example");
		assertThat(redis.port()).isEqualTo(6380);
		assertThat(redis.propertyValues()).containsExactly("spring.data.redis.url=redis://cache.example:6380");
	}

	@Test
	void externalPostgresConnectionDetailsComeFromItsUrlWithoutAPoolInsideBootsPool() {
		ConnectionFactoryOptions options = new TestPostgresConnectionDetails(
				new TestPostgres("r2dbc:pool:postgresql://app:secret@db.example:6543/orders?sslMode=disable"))
			.getConnectionFactoryOptions();
		assertThat(options.getValue(ConnectionFactoryOptions.DRIVER)).isEqualTo("postgresql");
		assertThat(options.getValue(ConnectionFactoryOptions.HOST)).isEqualTo("db.example");
		assertThat(options.getValue(ConnectionFactoryOptions.PORT)).isEqualTo(6543);
		assertThat(options.getValue(ConnectionFactoryOptions.DATABASE)).isEqualTo("orders");
		assertThat(options.getValue(ConnectionFactoryOptions.USER)).isEqualTo("app");
		assertThat(options.getValue(ConnectionFactoryOptions.PASSWORD)).hasToString("secret");
	}

	@Test
	void externalRedisConnectionDetailsComeFromItsUrl() {
		TestRedisConnectionDetails details = new TestRedisConnectionDetails(
				new TestRedis(URI.create("rediss://user:secret@cache.example:6380/2")));
		assertThat(details.getUsername()).isEqualTo("user");
		assertThat(details.getPassword()).isEqualTo("secret");
		assertThat(details.getStandalone().getHost()).isEqualTo("cache.example");
		assertThat(details.getStandalone().getPort()).isEqualTo(6380);
		assertThat(details.getStandalone().getDatabase()).isEqualTo(2);
		assertThat(details.getStandalone().getSslBundle()).isNotNull();
		assertThat(details.getSentinel()).isNull();
		assertThat(details.getCluster()).isNull();
	}

	@Test
	void externalRedisUrlWithAPasswordOnlyAndNoSsl() {
		TestRedisConnectionDetails details = new TestRedisConnectionDetails(
				new TestRedis(URI.create("redis://secret@127.0.0.1")));
		assertThat(details.getUsername()).isNull();
		assertThat(details.getPassword()).isEqualTo("secret");
		assertThat(details.getStandalone().getDatabase()).isZero();
		assertThat(details.getStandalone().getSslBundle()).isNull();
	}

	@Test
	void externalServersCannotBeStoppedOrStarted() {
		TestRedis redis = new TestRedis(URI.create("redis://127.0.0.1"));
		assertThat(redis.port()).isEqualTo(6379);
		assertThatIllegalStateException().isThrownBy(redis::stop).withMessageContaining("external Redis");
		assertThatIllegalStateException().isThrownBy(new TestPostgres("r2dbc:postgresql://h/db")::start)
			.withMessageContaining("external PostgreSQL");
	}

}
