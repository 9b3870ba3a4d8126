package dev.protevus.boot.cache;

/**
 * A store that a {@link TieredCache} reads through, fastest first.
 *
 * @since 0.1.0
 */
public enum CacheTier {

	/**
	 * Caffeine in this JVM: fastest, per instance, bounded by entry count.
	 */
	MEMORY,

	/**
	 * Redis: shared by every instance, survives restarts of the application.
	 */
	REDIS,

	/**
	 * Memcached: shared by every instance like Redis, for applications that run memcached
	 * rather than Redis; needs Spotify's folsom client on the class path.
	 * @since 0.1.0
	 */
	MEMCACHED,

	/**
	 * Files on local disk: large and persistent, per machine, bounded by total size.
	 */
	FILE;

	/**
	 * The tier's name as written in properties and shown in metrics and endpoints.
	 * @return the lower-case name
	 */
	public String id() {
		return name().toLowerCase(java.util.Locale.ROOT);
	}

}
