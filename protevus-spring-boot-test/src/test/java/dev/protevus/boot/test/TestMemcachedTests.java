package dev.protevus.boot.test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;
import static org.awaitility.Awaitility.await;

/**
 * {@link WithTestMemcached} points a test's context at {@link TestMemcached}, whatever
 * the test's own properties say, and the server restarts on its port.
 */
@SpringBootTest(properties = "protevus.cache.memcached.servers=127.0.0.1:1")
@WithTestMemcached
@Tag("memcached")
class TestMemcachedTests {

	@Test
	void setsTheServersPropertyAboveTheTestsOwn(@Value("${protevus.cache.memcached.servers}") String servers) {
		assertThat(servers).isEqualTo(TestMemcached.get().servers()).isNotEqualTo("127.0.0.1:1");
		assertThat(TestMemcached.get().springProperties()).containsEntry(TestMemcached.SERVERS_PROPERTY, servers);
		assertThat(TestMemcached.isAvailable()).isTrue();
	}

	@Test
	void answersTheTextProtocol() throws IOException {
		assertThat(command(TestMemcached.get(), "set protevus:test:memcached 0 60 5\r\nhello")).isEqualTo("STORED");
		assertThat(command(TestMemcached.get(), "get protevus:test:memcached"))
			.isEqualTo("VALUE protevus:test:memcached 0 5");
	}

	@Test
	void stopsAndStartsAgainOnTheSamePortWithNothingKept() throws IOException {
		TestMemcached server = TestMemcached.get();
		int port = server.port();
		assertThat(command(server, "set protevus:test:restart 0 60 6\r\nbefore")).isEqualTo("STORED");
		try {
			server.stop();
			assertThat(server.isRunning()).isFalse();
			assertThatIOException().isThrownBy(() -> new Socket(server.host(), port).close());
			// Stopping what is already stopped does nothing.
			server.stop();
		}
		finally {
			server.start();
		}
		assertThat(server.isRunning()).isTrue();
		assertThat(server.port()).isEqualTo(port);
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(command(server, "get protevus:test:restart")).isEqualTo("END"));
	}

	private static String command(TestMemcached server, String command) throws IOException {
		try (Socket socket = new Socket(server.host(), server.port())) {
			socket.setSoTimeout(5000);
			OutputStream out = socket.getOutputStream();
			out.write((command + "\r\n").getBytes(StandardCharsets.UTF_8));
			out.flush();
			return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))
				.readLine();
		}
	}

	@SpringBootConfiguration
	static class Config {

	}

}
