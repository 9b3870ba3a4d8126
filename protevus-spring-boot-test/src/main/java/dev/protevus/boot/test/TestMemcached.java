package dev.protevus.boot.test;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.springframework.lang.Nullable;

/**
 * The memcached that tests use: the {@code memcached} binary of the operating system
 * (Debian's {@code memcached} package) started on a free port, or the servers named by
 * the {@value #SERVERS_VARIABLE} environment variable. Unlike the other test servers it
 * does not come from a Maven artifact, so tests that need it should check
 * {@link #isAvailable()} or run only where the binary is installed. Memcached keeps
 * nothing across a restart, as in production.
 *
 * @since 0.1.0
 */
public final class TestMemcached extends TestServer {

	/**
	 * Environment variable holding the memcached servers to use instead of an embedded
	 * one, as {@code host:port[,host:port…]}, for example {@code 127.0.0.1:11211}.
	 */
	public static final String SERVERS_VARIABLE = "PROTEVUS_TEST_MEMCACHED_SERVERS";

	/**
	 * The property that {@link WithTestMemcached} sets.
	 */
	public static final String SERVERS_PROPERTY = "protevus.cache.memcached.servers";

	private static final String LOOPBACK = "127.0.0.1";

	private static final List<String> BINARY_LOCATIONS = List.of("/usr/bin/memcached", "/usr/local/bin/memcached",
			"/opt/homebrew/bin/memcached");

	private static final long START_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);

	@Nullable
	private final String externalServers;

	private int port;

	@Nullable
	private Process process;

	TestMemcached(@Nullable String externalServers) {
		super("memcached", externalServers == null);
		this.externalServers = externalServers;
	}

	/**
	 * Returns the shared server, starting the embedded one on first use.
	 * @return the memcached for this JVM
	 * @throws IllegalStateException when there is neither a {@code memcached} binary nor
	 * {@value #SERVERS_VARIABLE}
	 */
	public static TestMemcached get() {
		return Holder.INSTANCE;
	}

	/**
	 * Whether tests can have a memcached: {@value #SERVERS_VARIABLE} is set or the
	 * {@code memcached} binary is installed.
	 * @return {@code true} when {@link #get()} can succeed
	 */
	public static boolean isAvailable() {
		return externalServersFromEnvironment() != null || binary() != null;
	}

	/**
	 * The servers as {@code host:port}, comma-separated, the value of
	 * {@code protevus.cache.memcached.servers}.
	 * @return the servers, e.g. {@code 127.0.0.1:40123}
	 */
	public String servers() {
		return (this.externalServers != null) ? this.externalServers : LOOPBACK + ":" + this.port;
	}

	/**
	 * The host name of the (first) server.
	 * @return the host
	 */
	public String host() {
		String first = servers().split(",")[0].trim();
		return (first.lastIndexOf(':') > 0) ? first.substring(0, first.lastIndexOf(':')) : first;
	}

	/**
	 * The TCP port of the (first) server; an embedded server keeps it across restarts.
	 * @return the port
	 */
	public int port() {
		String first = servers().split(",")[0].trim();
		return (first.lastIndexOf(':') > 0) ? Integer.parseInt(first.substring(first.lastIndexOf(':') + 1)) : 11211;
	}

	@Override
	public Map<String, String> springProperties() {
		return Map.of(SERVERS_PROPERTY, servers());
	}

	@Override
	void doStart() throws IOException {
		String binary = binary();
		if (binary == null) {
			throw new IOException("no memcached binary in " + BINARY_LOCATIONS
					+ " or on the PATH; install it (apt-get install memcached) or set " + SERVERS_VARIABLE);
		}
		if (this.port == 0) {
			this.port = freePort();
		}
		// -u names the user to run as; memcached needs it only when started as root.
		Process started = new ProcessBuilder(binary, "-l", LOOPBACK, "-p", Integer.toString(this.port), "-U", "0", "-m",
				"64", "-t", "2", "-u", System.getProperty("user.name"))
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.DISCARD)
			.start();
		this.process = started;
		long deadline = System.nanoTime() + START_TIMEOUT_NANOS;
		while (!accepting()) {
			if (!started.isAlive()) {
				throw new IOException("memcached exited with status " + started.exitValue() + " on port " + this.port);
			}
			if (System.nanoTime() - deadline > 0) {
				started.destroyForcibly();
				throw new IOException("memcached did not accept connections on port " + this.port + " within 10s");
			}
			backOff();
		}
	}

	@Override
	void doStop() throws IOException {
		Process running = this.process;
		if (running == null) {
			return;
		}
		running.destroy();
		try {
			if (!running.waitFor(10, TimeUnit.SECONDS)) {
				running.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException("Interrupted while stopping memcached", ex);
		}
		this.process = null;
	}

	@Override
	ProcessHandle process() throws IOException {
		Process running = this.process;
		if (running == null) {
			throw new IOException("memcached is not running");
		}
		return running.toHandle();
	}

	private boolean accepting() {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(LOOPBACK, this.port), 100);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static void backOff() throws IOException {
		try {
			Thread.sleep(10);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException("Interrupted while starting memcached", ex);
		}
	}

	@Nullable
	private static String binary() {
		for (String location : BINARY_LOCATIONS) {
			if (Files.isExecutable(Path.of(location))) {
				return location;
			}
		}
		String path = System.getenv("PATH");
		if (path != null) {
			for (String directory : path.split(File.pathSeparator)) {
				if (!directory.isEmpty() && Files.isExecutable(Path.of(directory, "memcached"))) {
					return Path.of(directory, "memcached").toString();
				}
			}
		}
		return null;
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
			return socket.getLocalPort();
		}
	}

	@Nullable
	private static String externalServersFromEnvironment() {
		String servers = System.getenv(SERVERS_VARIABLE);
		return (servers != null && !servers.isBlank()) ? servers.trim() : null;
	}

	private static final class Holder {

		private static final TestMemcached INSTANCE = create();

		private static TestMemcached create() {
			TestMemcached memcached = new TestMemcached(externalServersFromEnvironment());
			memcached.startOnce();
			return memcached;
		}

	}

}
