package dev.protevus.boot.test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import redis.embedded.RedisSentinel;
import redis.embedded.RedisServer;

/**
 * Redis with Sentinel for tests: a master, one replica and one sentinel (quorum one), all
 * started from the same {@code com.github.codemonstur:embedded-redis} binary as
 * {@link TestRedis}, keeping nothing on disk, once per JVM, the first time a test asks
 * for them, and stopped at JVM exit. The sentinel counts the master as down after one
 * second, so that {@link #killMaster()} followed by {@link #awaitFailover(int)} promotes
 * the replica within seconds.
 *
 * @since 0.1.0
 */
public final class TestRedisSentinel extends TestServer {

	private static final String LOOPBACK = "127.0.0.1";

	private static final String MASTER_NAME = "protevus";

	private static final Duration CONVERGE_TIMEOUT = Duration.ofSeconds(60);

	private final int[] dataPorts = new int[2];

	private final RedisServer[] dataNodes = new RedisServer[2];

	private int sentinelPort;

	private RedisSentinel sentinel;

	TestRedisSentinel() {
		super("Redis Sentinel", true);
	}

	/**
	 * Returns the shared servers, starting them on first use.
	 * @return the Redis Sentinel set-up for this JVM
	 */
	public static TestRedisSentinel get() {
		return Holder.INSTANCE;
	}

	/**
	 * The name under which the sentinel watches the master.
	 * @return the master's name
	 */
	public String masterName() {
		return MASTER_NAME;
	}

	/**
	 * The sentinels a client asks where the master is.
	 * @return {@code host:port} of each sentinel
	 */
	public List<String> sentinels() {
		return List.of(LOOPBACK + ":" + this.sentinelPort);
	}

	/**
	 * The port of the master, as the sentinel names it now.
	 * @return the master's port
	 */
	public int masterPort() {
		try {
			Object address = RedisCommands.once(LOOPBACK, this.sentinelPort, "SENTINEL", "GET-MASTER-ADDR-BY-NAME",
					MASTER_NAME);
			return Integer.parseInt(String.valueOf(((List<?>) address).get(1)));
		}
		catch (IOException ex) {
			throw new IllegalStateException("The sentinel did not name the master: " + ex.getMessage(), ex);
		}
	}

	/**
	 * Stops the master's process, as a crash would; the replica and the sentinel go on.
	 * @return the port of the master that was stopped, for {@link #awaitFailover(int)}
	 * and {@link #restartKilled()}
	 */
	public synchronized int killMaster() {
		int master = masterPort();
		for (int i = 0; i < this.dataNodes.length; i++) {
			if (this.dataPorts[i] == master && this.dataNodes[i] != null) {
				try {
					this.dataNodes[i].stop();
				}
				catch (IOException ex) {
					throw new IllegalStateException("Could not stop the master: " + ex.getMessage(), ex);
				}
				this.dataNodes[i] = null;
			}
		}
		return master;
	}

	/**
	 * Waits until the sentinel has promoted another server than the one named and that
	 * server answers as a master.
	 * @param formerMaster the port of the master that went away
	 */
	public void awaitFailover(int formerMaster) {
		try {
			RedisCommands.awaitTrue("the sentinel promotes the replica", CONVERGE_TIMEOUT, () -> {
				try {
					int master = masterPort();
					return master != formerMaster
							&& String.valueOf(RedisCommands.once(LOOPBACK, master, "INFO", "replication"))
								.contains("role:master");
				}
				catch (IOException | RuntimeException ex) {
					return false;
				}
			});
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex.getMessage(), ex);
		}
	}

	/**
	 * Starts a killed server again, on its port and empty, as a replica of the current
	 * master, as the sentinel would reconfigure it (which it does only seconds after the
	 * server is back). Waits until it replicates, so that the next {@link #killMaster()}
	 * has a replica to promote.
	 */
	public synchronized void restartKilled() {
		try {
			int master = masterPort();
			for (int i = 0; i < this.dataNodes.length; i++) {
				if (this.dataNodes[i] == null) {
					this.dataNodes[i] = dataNode(this.dataPorts[i], master);
					this.dataNodes[i].start();
				}
			}
			awaitReplication();
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not restart Redis: " + ex.getMessage(), ex);
		}
	}

	@Override
	public Map<String, String> springProperties() {
		return Map.of("spring.data.redis.sentinel.master", MASTER_NAME, "spring.data.redis.sentinel.nodes",
				String.join(",", sentinels()));
	}

	@Override
	void doStart() throws IOException {
		if (this.sentinelPort == 0) {
			this.dataPorts[0] = freePort();
			this.dataPorts[1] = freePort();
			this.sentinelPort = freePort();
		}
		this.dataNodes[0] = dataNode(this.dataPorts[0], null);
		this.dataNodes[0].start();
		this.dataNodes[1] = dataNode(this.dataPorts[1], this.dataPorts[0]);
		this.dataNodes[1].start();
		this.sentinel = RedisSentinel.newRedisSentinel()
			.bind(LOOPBACK)
			.port(this.sentinelPort)
			.masterName(MASTER_NAME)
			.masterPort(this.dataPorts[0])
			.quorumSize(1)
			.downAfterMilliseconds(1000)
			.failOverTimeout(5000)
			.parallelSyncs(1)
			.build();
		this.sentinel.start();
		awaitReplication();
	}

	/**
	 * Waits until the master has a replica whose link is up and the sentinel knows it.
	 */
	private void awaitReplication() throws IOException {
		RedisCommands.awaitTrue("the replica follows the master and the sentinel knows it", CONVERGE_TIMEOUT, () -> {
			try {
				int master = masterPort();
				String replication = String.valueOf(RedisCommands.once(LOOPBACK, master, "INFO", "replication"));
				Object replicas = RedisCommands.once(LOOPBACK, this.sentinelPort, "SENTINEL", "REPLICAS", MASTER_NAME);
				return replication.contains("role:master") && replication.contains("state=online")
						&& replicas instanceof List<?> list && !list.isEmpty()
						&& !String.valueOf(list).contains("s_down");
			}
			catch (IOException | RuntimeException ex) {
				return false;
			}
		});
	}

	private static RedisServer dataNode(int port, Integer masterPort) throws IOException {
		return RedisServer.newRedisServer()
			.bind(LOOPBACK)
			.port(port)
			.setting("save \"\"")
			.setting("appendonly no")
			.settingIf(masterPort != null, "replicaof " + LOOPBACK + " " + masterPort)
			.build();
	}

	@Override
	void doStop() throws IOException {
		if (this.sentinel != null) {
			this.sentinel.stop();
			this.sentinel = null;
		}
		for (int i = 0; i < this.dataNodes.length; i++) {
			if (this.dataNodes[i] != null) {
				this.dataNodes[i].stop();
				this.dataNodes[i] = null;
			}
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
			return socket.getLocalPort();
		}
	}

	private static final class Holder {

		private static final TestRedisSentinel INSTANCE = create();

		private static TestRedisSentinel create() {
			TestRedisSentinel servers = new TestRedisSentinel();
			servers.startOnce();
			return servers;
		}

	}

}
