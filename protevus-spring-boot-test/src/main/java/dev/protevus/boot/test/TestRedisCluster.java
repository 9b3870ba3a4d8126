package dev.protevus.boot.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

import redis.embedded.RedisServer;

/**
 * A Redis Cluster for tests: three masters and a replica of one of them, started from the
 * same {@code com.github.codemonstur:embedded-redis} binary as {@link TestRedis} in
 * cluster mode, with the 16384 slots split evenly between them and joined with
 * {@code CLUSTER MEET}, keeping nothing on disk but each node's cluster configuration. It
 * is started once per JVM, the first time a test asks for it, and stopped at JVM exit.
 * The {@value #NODES_VARIABLE} environment variable names an external cluster to use
 * instead.
 * <p>
 * {@link #stop()} and {@link #start()} stop and start every node; the nodes come back on
 * the same ports as the same cluster, without their data. {@link #killReplicatedMaster()}
 * and {@link #awaitFailover(int)} let the cluster promote the replica, and
 * {@link #restartKilled()} brings the old master back as a replica.
 *
 * @since 0.1.0
 */
public final class TestRedisCluster extends TestServer {

	/**
	 * Environment variable holding the comma-separated {@code host:port} seed nodes of an
	 * external Redis Cluster to use instead of the embedded one.
	 */
	public static final String NODES_VARIABLE = "PROTEVUS_TEST_REDIS_CLUSTER_NODES";

	private static final String LOOPBACK = "127.0.0.1";

	private static final int MASTERS = 3;

	/**
	 * The masters plus one replica, of the first master, so that a failover can be
	 * tested.
	 */
	private static final int NODES = MASTERS + 1;

	private static final int SLOTS = 16384;

	/**
	 * Redis 6 listens for the cluster bus on the client port plus this offset.
	 */
	private static final int BUS_OFFSET = 10000;

	private static final Duration FORM_TIMEOUT = Duration.ofSeconds(60);

	private final List<String> externalNodes;

	private final int[] ports = new int[NODES];

	private final RedisServer[] servers = new RedisServer[NODES];

	private Path directory;

	TestRedisCluster(List<String> externalNodes) {
		super("Redis Cluster", externalNodes == null);
		this.externalNodes = externalNodes;
	}

	/**
	 * Returns the shared cluster, starting the embedded one on first use.
	 * @return the Redis Cluster for this JVM
	 */
	public static TestRedisCluster get() {
		return Holder.INSTANCE;
	}

	/**
	 * The cluster's nodes, the seeds a client starts from.
	 * @return {@code host:port} of each master
	 */
	public List<String> nodes() {
		if (this.externalNodes != null) {
			return this.externalNodes;
		}
		return Arrays.stream(this.ports).mapToObj((port) -> LOOPBACK + ":" + port).toList();
	}

	/**
	 * Stops the process of the master that has a replica, as a crash would. The other
	 * masters count it as failed after the two-second node timeout and its replica takes
	 * over its slots.
	 * @return the port of the stopped master, for {@link #awaitFailover(int)}
	 */
	public synchronized int killReplicatedMaster() {
		int port = replicatedMasterPort();
		for (int i = 0; i < NODES; i++) {
			if (this.ports[i] == port && this.servers[i] != null) {
				try {
					this.servers[i].stop();
				}
				catch (IOException ex) {
					throw new IllegalStateException("Could not stop the master: " + ex.getMessage(), ex);
				}
				this.servers[i] = null;
			}
		}
		return port;
	}

	/**
	 * The port of the master that has a replica, the one {@link #killReplicatedMaster()}
	 * stops, so that a test can put its keys on that master's slots.
	 * @return the port
	 */
	public synchronized int replicatedMasterPort() {
		try {
			List<String[]> nodes = clusterNodes();
			String master = nodes.stream()
				.filter((node) -> node[2].contains("slave") && !node[3].equals("-"))
				.map((node) -> node[3])
				.findFirst()
				.orElseThrow(() -> new IllegalStateException("No master of the Redis Cluster has a replica"));
			return nodes.stream()
				.filter((node) -> node[0].equals(master))
				.map((node) -> Integer.parseInt(node[1].substring(node[1].indexOf(':') + 1, node[1].indexOf('@'))))
				.findFirst()
				.orElseThrow(() -> new IllegalStateException("The Redis Cluster does not know master " + master));
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not read the Redis Cluster's nodes: " + ex.getMessage(), ex);
		}
	}

	/**
	 * Waits until the running nodes agree that the cluster is whole again, with another
	 * node serving the slots of the one named.
	 * @param formerMaster the port of the master that went away
	 */
	public void awaitFailover(int formerMaster) {
		try {
			RedisCommands.awaitTrue("the Redis Cluster promotes the replica", FORM_TIMEOUT, () -> {
				for (int i = 0; i < NODES; i++) {
					if (this.ports[i] == formerMaster) {
						continue;
					}
					try (RedisCommands node = RedisCommands.connect(LOOPBACK, this.ports[i])) {
						if (!String.valueOf(node.call("CLUSTER", "INFO")).contains("cluster_state:ok")) {
							return false;
						}
						for (String line : String.valueOf(node.call("CLUSTER", "NODES")).split("\n")) {
							if (line.contains(":" + formerMaster + "@") && line.contains("master")
									&& !line.contains("fail")) {
								return false;
							}
						}
					}
					catch (IOException ex) {
						return false;
					}
				}
				return true;
			});
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex.getMessage(), ex);
		}
	}

	/**
	 * Starts a killed node again, on its port, without data; it rejoins the cluster as a
	 * replica of the node that took its slots. Returns once the cluster is whole, so that
	 * the next {@link #killReplicatedMaster()} has a replica to promote.
	 */
	public synchronized void restartKilled() {
		try {
			for (int i = 0; i < NODES; i++) {
				if (this.servers[i] == null) {
					startNode(i);
				}
			}
			RedisCommands.awaitTrue("every node of the Redis Cluster says cluster_state:ok", FORM_TIMEOUT,
					this::healthy);
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not restart the node: " + ex.getMessage(), ex);
		}
	}

	/**
	 * {@code CLUSTER NODES} of the first running node, each line split into its fields.
	 */
	private List<String[]> clusterNodes() throws IOException {
		for (int i = 0; i < NODES; i++) {
			if (this.servers[i] != null) {
				try (RedisCommands node = RedisCommands.connect(LOOPBACK, this.ports[i])) {
					return Arrays.stream(String.valueOf(node.call("CLUSTER", "NODES")).split("\n"))
						.filter((line) -> !line.isBlank())
						.map((line) -> line.trim().split(" "))
						.toList();
				}
			}
		}
		throw new IOException("No node of the Redis Cluster is running");
	}

	@Override
	public Map<String, String> springProperties() {
		return Map.of("spring.data.redis.cluster.nodes", String.join(",", nodes()));
	}

	@Override
	void doStart() throws IOException {
		boolean formed = this.directory != null;
		if (!formed) {
			this.directory = Files.createTempDirectory("protevus-redis-cluster");
			choosePorts();
		}
		for (int i = 0; i < NODES; i++) {
			startNode(i);
		}
		if (!formed) {
			form();
		}
		RedisCommands.awaitTrue("every node of the Redis Cluster says cluster_state:ok", FORM_TIMEOUT, this::healthy);
	}

	private void startNode(int i) throws IOException {
		this.servers[i] = RedisServer.newRedisServer()
			.bind(LOOPBACK)
			.port(this.ports[i])
			.setting("save \"\"")
			.setting("appendonly no")
			.setting("dir " + this.directory)
			.setting("cluster-enabled yes")
			.setting("cluster-config-file " + this.directory.resolve("nodes-" + this.ports[i] + ".conf"))
			// Short, so that a node that is gone counts as failed soon enough for tests.
			.setting("cluster-node-timeout 2000")
			.build();
		this.servers[i].start();
	}

	/**
	 * Splits the slots between the masters and introduces them to each other, as
	 * {@code redis-cli --cluster create} does: distinct config epochs first, so that the
	 * nodes need not resolve a collision before they agree.
	 */
	private void form() throws IOException {
		for (int i = 0; i < MASTERS; i++) {
			try (RedisCommands node = RedisCommands.connect(LOOPBACK, this.ports[i])) {
				node.call("CLUSTER", "SET-CONFIG-EPOCH", Integer.toString(i + 1));
				List<String> addSlots = new ArrayList<>(List.of("CLUSTER", "ADDSLOTS"));
				// Redis 6.2 has no ADDSLOTSRANGE (7.0).
				for (int slot = SLOTS * i / MASTERS; slot < SLOTS * (i + 1) / MASTERS; slot++) {
					addSlots.add(Integer.toString(slot));
				}
				node.call(addSlots);
			}
		}
		String firstId;
		try (RedisCommands first = RedisCommands.connect(LOOPBACK, this.ports[0])) {
			for (int i = 1; i < NODES; i++) {
				first.call("CLUSTER", "MEET", LOOPBACK, Integer.toString(this.ports[i]));
			}
			firstId = String.valueOf(first.call("CLUSTER", "MYID"));
		}
		// A node can replicate only a master it knows.
		RedisCommands.awaitTrue("the replica knows the first master", FORM_TIMEOUT, () -> {
			try (RedisCommands replica = RedisCommands.connect(LOOPBACK, this.ports[MASTERS])) {
				replica.call("CLUSTER", "REPLICATE", firstId);
				return true;
			}
			catch (IOException ex) {
				return false;
			}
		});
	}

	private boolean healthy() {
		for (int port : this.ports) {
			try (RedisCommands node = RedisCommands.connect(LOOPBACK, port)) {
				String info = String.valueOf(node.call("CLUSTER", "INFO"));
				String nodes = String.valueOf(node.call("CLUSTER", "NODES"));
				if (!info.contains("cluster_state:ok") || !info.contains("cluster_known_nodes:" + NODES)
						|| nodes.contains("handshake") || nodes.contains("noaddr") || nodes.contains("fail")) {
					return false;
				}
				if (nodes.contains("myself,slave")
						&& !String.valueOf(node.call("INFO", "replication")).contains("master_link_status:up")) {
					return false;
				}
			}
			catch (IOException ex) {
				return false;
			}
		}
		return true;
	}

	/**
	 * Picks ports whose cluster bus ports are free too; the ephemeral range can put those
	 * beyond the last port, so they are chosen at random below it and checked.
	 */
	private void choosePorts() throws IOException {
		int chosen = 0;
		for (int attempt = 0; attempt < 1000 && chosen < NODES; attempt++) {
			int port = ThreadLocalRandom.current().nextInt(20000, 50000);
			if (isFree(port) && isFree(port + BUS_OFFSET) && Arrays.stream(this.ports).noneMatch((p) -> p == port)) {
				this.ports[chosen++] = port;
			}
		}
		if (chosen < NODES) {
			throw new IOException("Found no free ports for the Redis Cluster");
		}
	}

	private static boolean isFree(int port) {
		try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName(LOOPBACK))) {
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	@Override
	void doStop() throws IOException {
		IOException failure = null;
		for (int i = 0; i < NODES; i++) {
			if (this.servers[i] != null) {
				try {
					this.servers[i].stop();
				}
				catch (IOException ex) {
					failure = ex;
				}
				this.servers[i] = null;
			}
		}
		if (failure != null) {
			throw failure;
		}
	}

	@Override
	void release() throws IOException {
		if (this.directory != null) {
			try (Stream<Path> files = Files.walk(this.directory)) {
				files.sorted(Comparator.reverseOrder()).forEach((file) -> {
					try {
						Files.deleteIfExists(file);
					}
					catch (IOException ex) {
						throw new UncheckedIOException(ex);
					}
				});
			}
		}
	}

	private static final class Holder {

		private static final TestRedisCluster INSTANCE = create();

		private static TestRedisCluster create() {
			String nodes = System.getenv(NODES_VARIABLE);
			TestRedisCluster cluster = new TestRedisCluster((nodes != null && !nodes.isBlank())
					? Arrays.stream(nodes.split(",")).map(String::trim).filter((node) -> !node.isEmpty()).toList()
					: null);
			cluster.startOnce();
			return cluster;
		}

	}

}
