package dev.protevus.boot.autoconfigure.session;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where Spring Session keeps the {@code WebSession}s of a reactive application.
 *
 * @since 0.1.0
 */
@ConfigurationProperties(SessionStoreProperties.PREFIX)
public class SessionStoreProperties {

	static final String PREFIX = "protevus.session";

	/**
	 * Where sessions are kept: 'redis' (shared by every instance, so any instance can
	 * serve any request) or 'memory' (this instance only). When unset, 'redis' if the
	 * application uses Redis (a spring.data.redis connection key or the redis cache tier
	 * is set), 'memory' otherwise.
	 */
	private String store;

	private final Memory memory = new Memory();

	public String getStore() {
		return this.store;
	}

	public void setStore(String store) {
		this.store = store;
	}

	public Memory getMemory() {
		return this.memory;
	}

	/**
	 * The memory store.
	 */
	public static class Memory {

		/**
		 * Sessions the memory store keeps at most; the least recently used go first.
		 */
		private int maxSessions = 10_000;

		public int getMaxSessions() {
			return this.maxSessions;
		}

		public void setMaxSessions(int maxSessions) {
			this.maxSessions = maxSessions;
		}

	}

}
