package dev.protevus.boot.autoconfigure.async;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.lang.Nullable;

/**
 * Settings of Protevus's worker pools and event-loop lag monitor.
 *
 * @since 0.1.0
 */
@ConfigurationProperties("protevus.async")
public class AsyncProperties {

	/**
	 * Whether to enable Protevus's asynchronous processing: the worker pools, @Offload,
	 * the event-loop lag monitor and their meters.
	 */
	private boolean enabled = true;

	/**
	 * Worker pools by name, each with 'threads', 'queue-capacity', 'keep-alive' (60s
	 * unless set) and 'virtual' (false unless set). The 'cpu' pool (threads: the number
	 * of available processors, queue-capacity: 1000) and the 'blocking' pool (threads:
	 * ten times the available processors, queue-capacity: 10000) always exist; settings
	 * given here for them replace their defaults key by key. Any other name adds a pool,
	 * which takes the 'cpu' pool's defaults for the keys it leaves unset.
	 */
	private Map<String, Pool> pools = new LinkedHashMap<>();

	private final Shutdown shutdown = new Shutdown();

	private final LagMonitor eventLoopLag = new LagMonitor();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public Map<String, Pool> getPools() {
		return this.pools;
	}

	public void setPools(Map<String, Pool> pools) {
		this.pools = pools;
	}

	public Shutdown getShutdown() {
		return this.shutdown;
	}

	public LagMonitor getEventLoopLag() {
		return this.eventLoopLag;
	}

	/**
	 * Settings of one worker pool.
	 */
	public static class Pool {

		/**
		 * How many threads the pool runs at most. Unset uses the pool's default.
		 */
		@Nullable
		private Integer threads;

		/**
		 * How many tasks wait for a thread at most; once the queue is full, further tasks
		 * are rejected at once. Unset uses the pool's default.
		 */
		@Nullable
		private Integer queueCapacity;

		/**
		 * How long an idle thread lives before it ends; zero ends it as soon as it is
		 * idle.
		 */
		private Duration keepAlive = Duration.ofSeconds(60);

		/**
		 * Whether the pool runs its tasks on virtual threads, which needs Java 21 or
		 * later. The pool stays bounded by 'threads' and 'queue-capacity'.
		 */
		private boolean virtual;

		@Nullable
		public Integer getThreads() {
			return this.threads;
		}

		public void setThreads(@Nullable Integer threads) {
			this.threads = threads;
		}

		@Nullable
		public Integer getQueueCapacity() {
			return this.queueCapacity;
		}

		public void setQueueCapacity(@Nullable Integer queueCapacity) {
			this.queueCapacity = queueCapacity;
		}

		public Duration getKeepAlive() {
			return this.keepAlive;
		}

		public void setKeepAlive(Duration keepAlive) {
			this.keepAlive = keepAlive;
		}

		public boolean isVirtual() {
			return this.virtual;
		}

		public void setVirtual(boolean virtual) {
			this.virtual = virtual;
		}

	}

	/**
	 * What happens to the pools when the application stops.
	 */
	public static class Shutdown {

		/**
		 * How long closing the application waits for the pools' running and queued tasks,
		 * after they stop taking new ones. Tasks still running then are interrupted and
		 * tasks still queued are dropped.
		 */
		private Duration awaitTermination = Duration.ofSeconds(30);

		public Duration getAwaitTermination() {
			return this.awaitTermination;
		}

		public void setAwaitTermination(Duration awaitTermination) {
			this.awaitTermination = awaitTermination;
		}

	}

	/**
	 * Measurement of the Netty event loops' lag in a reactive web application.
	 */
	public static class LagMonitor {

		/**
		 * Whether to measure how late tasks start on the Netty event loops, published as
		 * the 'protevus.eventloop.lag' gauge.
		 */
		private boolean enabled = true;

		/**
		 * How often each event loop is probed.
		 */
		private Duration interval = Duration.ofMillis(100);

		/**
		 * Sliding window over which the maximum and the 99th percentile are reported.
		 */
		private Duration window = Duration.ofMinutes(1);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getInterval() {
			return this.interval;
		}

		public void setInterval(Duration interval) {
			this.interval = interval;
		}

		public Duration getWindow() {
			return this.window;
		}

		public void setWindow(Duration window) {
			this.window = window;
		}

	}

}
