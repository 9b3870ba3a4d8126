package dev.protevus.boot.test;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A streaming replica of the embedded {@link TestPostgres}, for tests of read replicas: a
 * second PostgreSQL, started on first use, that replays the primary's changes as a hot
 * standby does in production. The {@code io.zonky.test} binaries have no
 * {@code pg_basebackup}, so the replica is made from a base backup taken with
 * PostgreSQL's low-level backup functions ({@code pg_start_backup}, a copy of the data
 * directory, {@code pg_stop_backup}) and streams from a physical replication slot of the
 * primary. {@link #pauseReplay()} makes it fall behind on purpose, and
 * {@link #replicaCalls(String)} and {@link #primaryCalls(String)} count the statements
 * each server ran, from {@code pg_stat_statements}.
 *
 * @since 0.1.0
 */
public final class TestPostgresReplica extends TestServer {

	private static final String USER = "postgres";

	private static final String SLOT = "protevus_test_replica";

	private static final Duration STARTUP_WAIT = Duration.ofSeconds(60);

	/**
	 * What a base backup leaves out: the server's own run-time files and the WAL, which
	 * the replica streams from the slot instead.
	 */
	private static final Set<String> EXCLUDED = Set.of("postmaster.pid", "postmaster.opts", "epg-lock",
			"standby.signal", "backup_label", "tablespace_map");

	private static final Set<String> EMPTIED = Set.of("pg_wal", "pg_replslot", "pg_stat_tmp", "pg_dynshmem",
			"pg_notify", "pg_serial", "pg_snapshots", "pg_subtrans");

	private final TestPostgres primary;

	private Path dataDirectory;

	private int port;

	private EmbeddedPostgres server;

	private TestPostgresReplica(TestPostgres primary) {
		super("PostgreSQL replica", true);
		this.primary = primary;
	}

	/**
	 * Returns the shared replica, taking its base backup and starting it on first use.
	 * @return the replica of {@link TestPostgres#get()}
	 * @throws IllegalStateException when the test PostgreSQL is an external server, whose
	 * replication this cannot set up
	 */
	public static TestPostgresReplica get() {
		return Holder.INSTANCE;
	}

	/**
	 * The R2DBC URL of the replica, without credentials: those of the primary work.
	 * @return the URL, e.g. {@code r2dbc:postgresql://localhost:40124/postgres}
	 */
	public String r2dbcUrl() {
		return "r2dbc:postgresql://localhost:" + this.port + "/" + this.primary.database();
	}

	/**
	 * The TCP port the replica listens on; it keeps it across restarts.
	 * @return the port
	 */
	public int port() {
		return this.port;
	}

	/**
	 * The property that makes this the application's one read replica; the primary's
	 * properties come from {@link TestPostgres}.
	 * @return {@code protevus.data.replicas[0]} and the replica's URL
	 */
	@Override
	public Map<String, String> springProperties() {
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("protevus.data.replicas[0]", r2dbcUrl());
		return properties;
	}

	/**
	 * Stops replaying the changes the replica receives ({@code pg_wal_replay_pause()}),
	 * so that it falls behind as soon as the primary changes.
	 */
	public void pauseReplay() {
		execute(this.port, "SELECT pg_wal_replay_pause()");
	}

	/**
	 * Replays again what the replica received, after {@link #pauseReplay()}.
	 */
	public void resumeReplay() {
		execute(this.port, "SELECT pg_wal_replay_resume()");
	}

	/**
	 * Whether the replica has replayed everything the primary has written so far; poll it
	 * with Awaitility after a write that a test then reads from the replica.
	 * @return {@code true} when the replica is up to date
	 */
	public boolean isCaughtUp() {
		String written = query(this.primary.port(), "SELECT pg_current_wal_insert_lsn()::text");
		String replayed = query(this.port, "SELECT (pg_last_wal_replay_lsn() >= '" + written + "'::pg_lsn)::text");
		return Boolean.parseBoolean(replayed);
	}

	/**
	 * How many times the replica has executed statements whose text contains a fragment,
	 * such as a table's name, since it started.
	 * @param fragment the fragment, matched case-sensitively
	 * @return the number of executions
	 */
	public long replicaCalls(String fragment) {
		return calls(this.port, fragment);
	}

	/**
	 * How many times the primary has executed statements whose text contains a fragment,
	 * such as a table's name, since it started.
	 * @param fragment the fragment, matched case-sensitively
	 * @return the number of executions
	 */
	public long primaryCalls(String fragment) {
		return calls(this.primary.port(), fragment);
	}

	private static long calls(int port, String fragment) {
		String sql = "SELECT coalesce(sum(calls), 0)::text FROM pg_stat_statements WHERE strpos(query, '"
				+ fragment.replace("'", "''") + "') > 0 AND strpos(query, 'pg_stat_statements') = 0";
		return Long.parseLong(query(port, sql));
	}

	@Override
	void doStart() throws IOException {
		if (this.dataDirectory == null) {
			this.dataDirectory = Files.createTempDirectory("protevus-postgres-replica");
			baseBackup();
		}
		EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
			.setDataDirectory(this.dataDirectory)
			.setCleanDataDirectory(false)
			.setRegisterShutdownHook(false)
			.setPGStartupWait(STARTUP_WAIT)
			.setServerConfig("shared_preload_libraries", "pg_stat_statements")
			.setServerConfig("hot_standby", "on")
			.setServerConfig("primary_conninfo", "'host=localhost port=" + this.primary.port() + " user=" + USER + "'")
			.setServerConfig("primary_slot_name", SLOT);
		if (this.port != 0) {
			builder.setPort(this.port);
		}
		this.server = builder.start();
		this.port = this.server.getPort();
	}

	/**
	 * Copies the running primary into the replica's data directory between
	 * {@code pg_start_backup} and {@code pg_stop_backup} of one session, as
	 * {@code pg_basebackup} would, and marks the copy a standby. The slot keeps on the
	 * primary the WAL that the copy needs until the replica has streamed it.
	 */
	private void baseBackup() throws IOException {
		Path source = this.primary.dataDirectory();
		try (Connection connection = connect(this.primary.port()); Statement statement = connection.createStatement()) {
			statement.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
			statement.execute("SELECT pg_create_physical_replication_slot('" + SLOT + "', true) WHERE NOT EXISTS "
					+ "(SELECT 1 FROM pg_replication_slots WHERE slot_name = '" + SLOT + "')");
			statement.execute("SELECT pg_start_backup('protevus-test-replica', true, false)");
			copy(source, this.dataDirectory);
			try (ResultSet result = statement.executeQuery("SELECT labelfile FROM pg_stop_backup(false, false)")) {
				result.next();
				Files.writeString(this.dataDirectory.resolve("backup_label"), result.getString(1));
			}
		}
		catch (SQLException ex) {
			throw new IOException("Could not take a base backup of the test PostgreSQL: " + ex.getMessage(), ex);
		}
		Files.createFile(this.dataDirectory.resolve("standby.signal"));
	}

	private static void copy(Path source, Path target) throws IOException {
		try (Stream<Path> paths = Files.walk(source)) {
			for (Path path : paths.toList()) {
				Path relative = source.relativize(path);
				if (relative.getNameCount() == 0) {
					continue;
				}
				String first = relative.getName(0).toString();
				if (relative.getNameCount() == 1 && EXCLUDED.contains(first)) {
					continue;
				}
				boolean emptied = EMPTIED.contains(first) && relative.getNameCount() > 1;
				Path destination = target.resolve(relative.toString());
				try {
					if (Files.isDirectory(path)) {
						if (!emptied || relative.getNameCount() == 2
								&& "archive_status".equals(relative.getName(1).toString())) {
							Files.createDirectories(destination);
						}
					}
					else if (!emptied) {
						Files.copy(path, destination, StandardCopyOption.REPLACE_EXISTING);
					}
				}
				catch (NoSuchFileException | FileAlreadyExistsException ex) {
					// A temporary file the server removed while it was being copied.
				}
			}
		}
	}

	@Override
	void doStop() throws IOException {
		this.server.close();
		this.server = null;
	}

	@Override
	ProcessHandle process() throws IOException {
		String pid = Files.readAllLines(this.dataDirectory.resolve("postmaster.pid")).get(0).strip();
		return ProcessHandle.of(Long.parseLong(pid))
			.orElseThrow(() -> new IOException("PostgreSQL replica process " + pid + " is not running"));
	}

	@Override
	void release() throws IOException {
		if (this.primary.isRunning()) {
			// Else the slot would keep the primary's WAL for a replica that is gone.
			execute(this.primary.port(), "SELECT pg_drop_replication_slot('" + SLOT + "')");
		}
		if (this.dataDirectory != null) {
			try (Stream<Path> paths = Files.walk(this.dataDirectory)) {
				for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
					Files.deleteIfExists(path);
				}
			}
		}
	}

	private static Connection connect(int port) throws SQLException {
		return DriverManager.getConnection("jdbc:postgresql://localhost:" + port + "/postgres", USER, "");
	}

	private static void execute(int port, String sql) {
		query(port, sql);
	}

	private static String query(int port, String sql) {
		try (Connection connection = connect(port);
				Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery(sql)) {
			return result.next() ? result.getString(1) : null;
		}
		catch (SQLException ex) {
			throw new IllegalStateException("'" + sql + "' failed on the PostgreSQL at port " + port, ex);
		}
	}

	private static final class Holder {

		private static final TestPostgresReplica INSTANCE = create();

		private static TestPostgresReplica create() {
			TestPostgres primary = TestPostgres.get();
			if (!primary.isEmbedded()) {
				throw new IllegalStateException("A TestPostgresReplica needs the embedded test PostgreSQL, not the "
						+ "external one that " + TestPostgres.URL_VARIABLE + " names");
			}
			TestPostgresReplica replica = new TestPostgresReplica(primary);
			replica.startOnce();
			return replica;
		}

	}

}
