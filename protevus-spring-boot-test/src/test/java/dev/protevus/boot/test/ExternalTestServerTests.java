package dev.protevus.boot.test;

import java.net.URI;

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
	void externalServersCannotBeStoppedOrStarted() {
		TestRedis redis = new TestRedis(URI.create("redis://127.0.0.1"));
		assertThat(redis.port()).isEqualTo(6379);
		assertThatIllegalStateException().isThrownBy(redis::stop).withMessageContaining("external Redis");
		assertThatIllegalStateException().isThrownBy(new TestPostgres("r2dbc:postgresql://h/db")::start)
			.withMessageContaining("external PostgreSQL");
	}

}
