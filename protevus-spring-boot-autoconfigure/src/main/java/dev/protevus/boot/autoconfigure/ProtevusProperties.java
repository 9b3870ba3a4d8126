package dev.protevus.boot.autoconfigure;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings that apply to Protevus as a whole. Each feature has its own
 * {@code protevus.<feature>} properties.
 *
 * @since 0.1.0
 */
@ConfigurationProperties(ProtevusProperties.PREFIX)
public class ProtevusProperties {

	/**
	 * Prefix of every Protevus property.
	 */
	public static final String PREFIX = "protevus";

	/**
	 * Name of the master switch.
	 */
	public static final String ENABLED = PREFIX + ".enabled";

	/**
	 * Whether to enable Protevus. When false, every Protevus auto-configuration backs off
	 * and the application runs on plain Spring Boot.
	 */
	private boolean enabled = true;

	private final Scheduler scheduler = new Scheduler();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public Scheduler getScheduler() {
		return this.scheduler;
	}

	/**
	 * The one scheduler that every Protevus feature runs its background work on.
	 */
	public static class Scheduler {

		/**
		 * How many threads background work runs on at most.
		 */
		private int threads = 2;

		/**
		 * How many background tasks may wait for a thread at most.
		 */
		private int queueCapacity = 1000;

		public int getThreads() {
			return this.threads;
		}

		public void setThreads(int threads) {
			this.threads = threads;
		}

		public int getQueueCapacity() {
			return this.queueCapacity;
		}

		public void setQueueCapacity(int queueCapacity) {
			this.queueCapacity = queueCapacity;
		}

	}

}
