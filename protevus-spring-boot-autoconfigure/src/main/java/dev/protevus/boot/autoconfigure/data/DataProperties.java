package dev.protevus.boot.autoconfigure.data;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of Protevus's database support. The connection and the pool itself stay under
 * Spring Boot's {@code spring.r2dbc.*} keys; these add what Boot does not have.
 *
 * @since 0.1.0
 */
@ConfigurationProperties("protevus.data")
public class DataProperties {

	/**
	 * Whether to enable Protevus's database support (pool warm-up, utilization and
	 * health, leak detection, statement log and meters, N+1 detection, relations,
	 * database problems, read replicas). Spring Boot's R2DBC configuration is not
	 * affected.
	 */
	private boolean enabled = true;

	/**
	 * Statements slower than this, from execution until the caller has read their
	 * results, are logged at WARN with their SQL and bound parameters masked. Zero logs
	 * none.
	 */
	private Duration slowQueryThreshold = Duration.ofMillis(200);

	/**
	 * What to do when one statement shape runs more than 'n-plus-one-threshold' times
	 * within one web request (or StatementScope): warn, fail or off. Defaults to warn in
	 * tests that use protevus-spring-boot-test and with spring-boot-devtools, off
	 * otherwise.
	 */
	private NPlusOne nPlusOne = NPlusOne.OFF;

	/**
	 * How many executions of one statement shape within one scope are still fine.
	 */
	private int nPlusOneThreshold = 10;

	/**
	 * How long a statement may run, from execution until its results have been read,
	 * before it is cancelled and its connection closed (the pool replaces it); the
	 * request then fails with 504. Timed on the client, so it also ends statements that a
	 * hung database never answers. Unset lets statements run as long as they take.
	 */
	private Duration statementTimeout;

	/**
	 * R2DBC URLs of read replicas of the database in spring.r2dbc.url, such as
	 * r2dbc:postgresql://replica-1:5432/app. Read-only transactions and work wrapped in
	 * ReplicaReads.onReplica go to them in turn, each through its own pool configured by
	 * spring.r2dbc.pool.*; everything else goes to the primary. A URL without a user or
	 * password takes those of spring.r2dbc.*. Empty sends all work to the primary.
	 */
	private List<String> replicas = new ArrayList<>();

	/**
	 * How far behind the primary a replica may be and still take reads; on PostgreSQL
	 * read from pg_last_xact_replay_timestamp(). Zero takes reads only on replicas that
	 * have replayed all they received.
	 */
	private Duration replicaMaxLag = Duration.ofSeconds(10);

	/**
	 * How often each replica is checked for health and lag, on the background scheduler.
	 */
	private Duration replicaCheckInterval = Duration.ofSeconds(2);

	/**
	 * How long one check of a replica may take, opening a connection included; a check
	 * that takes longer fails and takes the replica out of turn until one succeeds.
	 */
	private Duration replicaCheckTimeout = Duration.ofSeconds(1);

	private final Pool pool = new Pool();

	private final Relations relations = new Relations();

	private final Pagination pagination = new Pagination();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public Duration getSlowQueryThreshold() {
		return this.slowQueryThreshold;
	}

	public void setSlowQueryThreshold(Duration slowQueryThreshold) {
		this.slowQueryThreshold = slowQueryThreshold;
	}

	public NPlusOne getNPlusOne() {
		return this.nPlusOne;
	}

	public void setNPlusOne(NPlusOne nPlusOne) {
		this.nPlusOne = nPlusOne;
	}

	public int getNPlusOneThreshold() {
		return this.nPlusOneThreshold;
	}

	public void setNPlusOneThreshold(int nPlusOneThreshold) {
		this.nPlusOneThreshold = nPlusOneThreshold;
	}

	public Duration getStatementTimeout() {
		return this.statementTimeout;
	}

	public void setStatementTimeout(Duration statementTimeout) {
		this.statementTimeout = statementTimeout;
	}

	public List<String> getReplicas() {
		return this.replicas;
	}

	public void setReplicas(List<String> replicas) {
		this.replicas = replicas;
	}

	public Duration getReplicaMaxLag() {
		return this.replicaMaxLag;
	}

	public void setReplicaMaxLag(Duration replicaMaxLag) {
		this.replicaMaxLag = replicaMaxLag;
	}

	public Duration getReplicaCheckInterval() {
		return this.replicaCheckInterval;
	}

	public void setReplicaCheckInterval(Duration replicaCheckInterval) {
		this.replicaCheckInterval = replicaCheckInterval;
	}

	public Duration getReplicaCheckTimeout() {
		return this.replicaCheckTimeout;
	}

	public void setReplicaCheckTimeout(Duration replicaCheckTimeout) {
		this.replicaCheckTimeout = replicaCheckTimeout;
	}

	public Pool getPool() {
		return this.pool;
	}

	public Pagination getPagination() {
		return this.pagination;
	}

	public Relations getRelations() {
		return this.relations;
	}

	/**
	 * What Protevus adds to the pool that Boot configures from spring.r2dbc.pool.*.
	 */
	public static class Pool {

		/**
		 * Whether to open the pool's initial connections (spring.r2dbc.pool.initial-size)
		 * at start-up, before the application reports ready, spread over the driver's
		 * event loops.
		 */
		private boolean warmup = true;

		/**
		 * How long a connection may be held before its acquisition stack is logged as a
		 * likely leak. Unset turns leak detection off.
		 */
		private Duration leakDetectionThreshold;

		public boolean isWarmup() {
			return this.warmup;
		}

		public void setWarmup(boolean warmup) {
			this.warmup = warmup;
		}

		public Duration getLeakDetectionThreshold() {
			return this.leakDetectionThreshold;
		}

		public void setLeakDetectionThreshold(Duration leakDetectionThreshold) {
			this.leakDetectionThreshold = leakDetectionThreshold;
		}

	}

	/**
	 * How relations are loaded in batches.
	 */
	public static class Relations {

		/**
		 * How many keys one relation statement binds at most with IN lists; more parents
		 * take more statements. PostgreSQL takes every key as one array parameter
		 * instead.
		 */
		private int chunkSize = 500;

		/**
		 * How long a batch of lazy loads of one relation waits, after the latest load
		 * joined it, for another to share its statement; ten times this after the first
		 * load at most.
		 */
		private Duration lazyBatchWindow = Duration.ofMillis(2);

		/**
		 * How many lazy loads share one statement at most; a full batch is sent at once.
		 */
		private int lazyMaxBatchSize = 500;

		public int getChunkSize() {
			return this.chunkSize;
		}

		public void setChunkSize(int chunkSize) {
			this.chunkSize = chunkSize;
		}

		public Duration getLazyBatchWindow() {
			return this.lazyBatchWindow;
		}

		public void setLazyBatchWindow(Duration lazyBatchWindow) {
			this.lazyBatchWindow = lazyBatchWindow;
		}

		public int getLazyMaxBatchSize() {
			return this.lazyMaxBatchSize;
		}

		public void setLazyMaxBatchSize(int lazyMaxBatchSize) {
			this.lazyMaxBatchSize = lazyMaxBatchSize;
		}

	}

	/**
	 * Keyset pagination through the KeysetPaginations bean.
	 */
	public static class Pagination {

		/**
		 * Largest page size a pagination reads; a larger or non-positive one fails with
		 * InvalidPageSizeException, which a web request answers with 400.
		 */
		private int maxLimit = 1000;

		public int getMaxLimit() {
			return this.maxLimit;
		}

		public void setMaxLimit(int maxLimit) {
			this.maxLimit = maxLimit;
		}

	}

	/**
	 * What N+1 detection does.
	 */
	public enum NPlusOne {

		/**
		 * Log a warning naming the statement and the scope.
		 */
		WARN,

		/**
		 * Fail the statement with an NPlusOneQueryException.
		 */
		FAIL,

		/**
		 * Do not count statements.
		 */
		OFF

	}

}
