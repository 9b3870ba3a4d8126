package dev.protevus.boot.test;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import redis.embedded.RedisServer;

import org.springframework.lang.Nullable;

/**
 * The Redis that tests use: an embedded server started from the
 * {@code com.github.codemonstur:embedded-redis} binary on a free port, or the server
 * named by the {@value #URL_VARIABLE} environment variable. The embedded server writes
 * nothing to disk while it runs; {@link #stop()} saves its data to an RDB file in a
 * directory of its own, which {@link #start()} loads, so a restart keeps the data as a
 * Redis with persistence would.
 *
 * @since 0.1.0
 */
public final class TestRedis extends TestServer {

	/**
	 * Environment variable holding the URL of an external Redis to use instead of the
	 * embedded one, for example {@code redis://127.0.0.1:6379}.
	 */
	public static final String URL_VARIABLE = "PROTEVUS_TEST_REDIS_URL";

	private static final String LOOPBACK = "127.0.0.1";

	private static final Pattern PROCESS_ID = Pattern.compile("process_id:(\\d+)");

	private final URI externalUrl;

	private int port;

	private RedisServer server;

	private Path dataDirectory;

	TestRedis(URI externalUrl) {
		super("Redis", externalUrl == null);
		this.externalUrl = externalUrl;
	}

	/**
	 * Returns the shared server, starting the embedded one on first use.
	 * @return the Redis for this JVM
	 */
	public static TestRedis get() {
		return Holder.INSTANCE;
	}

	/**
	 * The URL of the server.
	 * @return the URL, e.g. {@code redis://127.0.0.1:40123}
	 */
	public String url() {
		return (this.externalUrl != null) ? this.externalUrl.toString() : "redis://" + LOOPBACK + ":" + this.port;
	}

	/**
	 * The host name the server listens on.
	 * @return the host
	 */
	public String host() {
		return (this.externalUrl != null) ? this.externalUrl.getHost() : LOOPBACK;
	}

	/**
	 * The TCP port the server listens on; an embedded server keeps it across restarts.
	 * @return the port
	 */
	public int port() {
		if (this.externalUrl != null) {
			return (this.externalUrl.getPort() != -1) ? this.externalUrl.getPort() : 6379;
		}
		return this.port;
	}

	@Override
	public Map<String, String> springProperties() {
		return Map.of("spring.data.redis.url", url());
	}

	@Override
	void doStart() throws IOException {
		if (this.port == 0) {
			this.port = freePort();
		}
		if (this.dataDirectory == null) {
			this.dataDirectory = Files.createTempDirectory("protevus-redis");
		}
		// No snapshots and no append-only file while it runs: the data is saved once, on
		// stop.
		this.server = RedisServer.newRedisServer()
			.bind(LOOPBACK)
			.port(this.port)
			.setting("dir " + this.dataDirectory)
			.setting("dbfilename dump.rdb")
			.setting("save \"\"")
			.setting("appendonly no")
			.build();
		this.server.start();
	}

	@Override
	void doStop() throws IOException {
		try {
			shutdownSave();
		}
		finally {
			// Waits for the process to exit; sends SIGTERM if SHUTDOWN SAVE did not stop
			// it.
			this.server.stop();
			this.server = null;
		}
	}

	/**
	 * Asks the server to save its data and exit, as one step, so that no write lands
	 * between the save and the exit. The server closes the connection once it has saved,
	 * and answers only when it refuses.
	 */
	private void shutdownSave() throws IOException {
		try (Socket socket = new Socket(LOOPBACK, this.port)) {
			socket.setSoTimeout(30_000);
			socket.getOutputStream().write("SHUTDOWN SAVE\r\n".getBytes(StandardCharsets.US_ASCII));
			InputStream in = socket.getInputStream();
			StringBuilder reply = new StringBuilder();
			for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
				reply.append((char) c);
			}
			if (!reply.isEmpty()) {
				throw new IOException("Redis did not save its data on SHUTDOWN SAVE: " + reply.toString().strip());
			}
		}
		catch (SocketException ex) {
			// Gone already, or killed while saving: stopped, without its data.
		}
	}

	@Override
	void release() throws IOException {
		if (this.dataDirectory != null) {
			try (Stream<Path> paths = Files.walk(this.dataDirectory)) {
				for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
					Files.deleteIfExists(path);
				}
			}
		}
	}

	@Override
	ProcessHandle process() throws IOException {
		// Asked of the server itself: INFO names the process id of redis-server.
		try (Socket socket = new Socket(LOOPBACK, this.port)) {
			socket.setSoTimeout(5000);
			socket.getOutputStream().write("INFO server\r\nQUIT\r\n".getBytes(StandardCharsets.US_ASCII));
			String info = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
			Matcher pid = PROCESS_ID.matcher(info);
			if (!pid.find()) {
				throw new IOException("Redis INFO named no process_id");
			}
			return ProcessHandle.of(Long.parseLong(pid.group(1)))
				.orElseThrow(() -> new IOException("Redis process " + pid.group(1) + " is not running"));
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
			return socket.getLocalPort();
		}
	}

	private static final class Holder {

		private static final TestRedis INSTANCE = create();

		private static TestRedis create() {
			String url = System.getenv(URL_VARIABLE);
			TestRedis redis = new TestRedis((url != null && !url.isBlank()) ? URI.create(url.trim()) : null);
			redis.startOnce();
			return redis;
		}

	}

	/**
	 * The user that {@link #url()} names, for Spring Boot's connection details.
	 */
	@Nullable
	String urlUsername() {
		String userInfo = uri().getUserInfo();
		return (userInfo != null && userInfo.contains(":")) ? userInfo.substring(0, userInfo.indexOf(':')) : null;
	}

	/**
	 * The password that {@link #url()} names, for Spring Boot's connection details.
	 */
	@Nullable
	String urlPassword() {
		String userInfo = uri().getUserInfo();
		if (userInfo == null) {
			return null;
		}
		return userInfo.contains(":") ? userInfo.substring(userInfo.indexOf(':') + 1) : userInfo;
	}

	/**
	 * The database that {@link #url()} names, 0 when it names none.
	 */
	int urlDatabase() {
		String path = uri().getPath();
		return (path != null && path.length() > 1) ? Integer.parseInt(path.substring(1)) : 0;
	}

	/**
	 * Whether {@link #url()} asks for SSL ({@code rediss:}).
	 */
	boolean urlUsesSsl() {
		return "rediss".equals(uri().getScheme());
	}

	private URI uri() {
		return URI.create(url());
	}

}
