package dev.protevus.sample.bookstore;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One keep-alive connection keeps being served after a request that arrived while the one
 * before it was still running: here an author report, which runs on the reports pool,
 * with a health check pipelined behind it, which the server answers at once. Reactor
 * Netty 1.3.6 and 1.3.7 (Spring Boot 4.0.7 and 4.0.8) stopped reading such a connection,
 * so the next request on it waited until the client gave up (reactor/reactor-netty#4361),
 * and not only for pipelining clients: a request sent after the previous answer arrived
 * but before the server had finished with it went the same way, which is how the sample's
 * other tests met it. Protevus's Boot 4 line is on Boot 4.0.9 for that; this test fails
 * on 4.0.7. It is Boot 4's only: on Boot 3.5 it fails too, as Reactor Netty 1.2 (1.2.16
 * to 1.2.18) has the same missing read on its pipelining path, which there only
 * pipelining clients reach.
 */
@SampleServerTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "protevus.cache.file.directory=${java.io.tmpdir}/protevus-sample-test-${random.uuid}")
class BookstoreKeepAliveTests {

	private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(5);

	private static final Pattern STATUS_LINE = Pattern.compile("HTTP/1\\.1 (\\d{3}) ");

	@LocalServerPort
	private int port;

	@Test
	void connectionIsStillReadAfterARequestPipelinedBehindARunningOne() throws IOException {
		try (Socket socket = new Socket("127.0.0.1", this.port)) {
			socket.setSoTimeout((int) ANSWER_TIMEOUT.toMillis());
			ResponseReader responses = new ResponseReader(socket.getInputStream());
			OutputStream out = socket.getOutputStream();
			for (int attempt = 0; attempt < 10; attempt++) {
				out.write((get("/authors/" + (attempt % 20 + 1) + "/report") + get("/actuator/health/liveness"))
					.getBytes(StandardCharsets.US_ASCII));
				out.flush();
				assertThat(responses.statusesUntil(2 * attempt + 2)).as("answers to the pipelined pair %d", attempt)
					.endsWith("200", "200");
			}
			out.write(get("/actuator/health/liveness").getBytes(StandardCharsets.US_ASCII));
			out.flush();
			assertThat(responses.statusesUntil(21)).as("answer to the request after the pairs").endsWith("200");
		}
	}

	private static String get(String path) {
		return "GET " + path + " HTTP/1.1\r\nHost: localhost\r\nAccept: application/json\r\n\r\n";
	}

	/**
	 * Reads the connection and finds the status lines in what arrived: the answers here
	 * are small JSON bodies, none of which holds a status line.
	 */
	private static final class ResponseReader {

		private final InputStream in;

		private final ByteArrayOutputStream received = new ByteArrayOutputStream();

		ResponseReader(InputStream in) {
			this.in = in;
		}

		List<String> statusesUntil(int count) throws IOException {
			byte[] buffer = new byte[8192];
			while (statuses().size() < count) {
				int read;
				try {
					read = this.in.read(buffer);
				}
				catch (SocketTimeoutException ex) {
					throw new AssertionError("No answer within " + ANSWER_TIMEOUT + " after " + statuses().size()
							+ " of " + count + " answers", ex);
				}
				if (read < 0) {
					throw new AssertionError("Connection closed after " + statuses().size() + " answers");
				}
				this.received.write(buffer, 0, read);
			}
			return statuses();
		}

		private List<String> statuses() {
			Matcher matcher = STATUS_LINE.matcher(this.received.toString(StandardCharsets.US_ASCII));
			List<String> statuses = new ArrayList<>();
			while (matcher.find()) {
				statuses.add(matcher.group(1));
			}
			return statuses;
		}

	}

}
