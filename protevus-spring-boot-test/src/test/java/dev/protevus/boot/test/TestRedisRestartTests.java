package dev.protevus.boot.test;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.data.redis.RedisAutoConfiguration;
import org.springframework.boot.autoconfigure.data.redis.RedisReactiveAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;
import static org.awaitility.Awaitility.await;

@SpringBootTest(properties = "spring.data.redis.timeout=500ms")
@WithTestRedis
class TestRedisRestartTests {

	@Autowired
	private ReactiveStringRedisTemplate redis;

	@Test
	void stoppedRedisRefusesConnectionsAndComesBackOnTheSamePortWithItsDataAfterStart() {
		TestRedis server = TestRedis.get();
		int port = server.port();
		StepVerifier.create(this.redis.opsForValue().set("protevus:test:restart", "before"))
			.expectNext(true)
			.verifyComplete();
		try {
			server.stop();
			assertThat(server.isRunning()).isFalse();
			assertThatIOException().isThrownBy(() -> new Socket(server.host(), port).close());
			StepVerifier.create(this.redis.opsForValue().get("protevus:test:restart"))
				.expectError()
				.verify(Duration.ofSeconds(10));
		}
		finally {
			server.start();
		}
		assertThat(server.isRunning()).isTrue();
		assertThat(server.port()).isEqualTo(port);
		// The client reconnects by itself, and the data saved on stop is back.
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> StepVerifier.create(this.redis.opsForValue().get("protevus:test:restart"))
				.expectNext("before")
				.verifyComplete());
		StepVerifier.create(this.redis.opsForValue().set("protevus:test:restart", "after"))
			.expectNext(true)
			.verifyComplete();
		StepVerifier.create(this.redis.opsForValue().get("protevus:test:restart")).expectNext("after").verifyComplete();
	}

	@Test
	void startAndStopAreIdempotent() {
		TestRedis server = TestRedis.get();
		int port = server.port();
		assertAccepting(server);
		// A second embedded Redis on the same port would fail to bind.
		server.start();
		assertThat(server.isRunning()).isTrue();
		assertAccepting(server);
		try {
			server.stop();
			assertThat(server.isRunning()).isFalse();
			assertRefusing(server);
			// Stopping what is already stopped must not touch the gone process.
			server.stop();
			assertThat(server.isRunning()).isFalse();
			assertRefusing(server);
		}
		finally {
			server.start();
		}
		assertThat(server.isRunning()).isTrue();
		assertThat(server.port()).isEqualTo(port);
		assertAccepting(server);
		server.start();
		assertThat(server.isRunning()).isTrue();
		assertAccepting(server);
	}

	@Test
	void pausedRedisAnswersNothingUntilResumed() {
		TestRedis server = TestRedis.get();
		StepVerifier.create(this.redis.opsForValue().set("protevus:test:pause", "before"))
			.expectNext(true)
			.verifyComplete();
		try {
			server.pause();
			server.pause();
			assertThat(server.isPaused()).isTrue();
			assertThat(server.isRunning()).isTrue();
			// The connection stays open; the command times out (500 ms here) instead.
			StepVerifier.create(this.redis.opsForValue().get("protevus:test:pause"))
				.expectError()
				.verify(Duration.ofSeconds(10));
		}
		finally {
			server.resume();
		}
		assertThat(server.isPaused()).isFalse();
		server.resume();
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> StepVerifier.create(this.redis.opsForValue().get("protevus:test:pause"))
				.expectNext("before")
				.verifyComplete());
	}

	@Test
	void stoppingAPausedRedisStopsIt() {
		TestRedis server = TestRedis.get();
		server.pause();
		try {
			server.stop();
			assertThat(server.isPaused()).isFalse();
			assertRefusing(server);
		}
		finally {
			server.start();
		}
		assertAccepting(server);
	}

	private static void assertAccepting(TestRedis server) {
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> connect(server));
	}

	private static void assertRefusing(TestRedis server) {
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThatIOException().isThrownBy(() -> connect(server)));
	}

	private static void connect(TestRedis server) throws IOException {
		new Socket(server.host(), server.port()).close();
	}

	@SpringBootConfiguration
	@ImportAutoConfiguration({ RedisAutoConfiguration.class, RedisReactiveAutoConfiguration.class })
	static class Config {

	}

}
