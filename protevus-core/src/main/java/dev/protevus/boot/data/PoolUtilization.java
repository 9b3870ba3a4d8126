package dev.protevus.boot.data;

/**
 * How busy the application's database connection pool is (with read replicas, all its
 * pools together), for features that react to load (scaling recommendations, load
 * shedding) without depending on the pool library.
 *
 * @since 0.1.0
 */
public interface PoolUtilization {

	/**
	 * Connections handed out to the application right now.
	 * @return the acquired connections
	 */
	int acquired();

	/**
	 * Connections open and waiting in the pool.
	 * @return the idle connections
	 */
	int idle();

	/**
	 * Requests waiting for a connection.
	 * @return the pending acquisitions
	 */
	int pending();

	/**
	 * How many connections the pool may open.
	 * @return the maximum pool size
	 */
	int maxSize();

	/**
	 * Acquired connections as a share of the maximum; over several pools (a primary and
	 * its read replicas) implementations may report the fullest pool's share instead.
	 * @return a value between 0 and 1
	 */
	default double utilization() {
		return (maxSize() > 0) ? (double) acquired() / maxSize() : 0;
	}

}
