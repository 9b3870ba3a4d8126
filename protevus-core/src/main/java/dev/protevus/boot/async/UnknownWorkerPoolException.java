package dev.protevus.boot.async;

import java.util.List;

import org.springframework.lang.Nullable;

/**
 * Code asked for a worker pool that is not configured: thrown by
 * {@link ExecutorWorkerPools#scheduler(String)}, and at start-up for an
 * {@link Offload @Offload} method that names such a pool, so that the failure analysis
 * can name the property to add.
 *
 * @since 0.1.0
 */
public class UnknownWorkerPoolException extends IllegalArgumentException {

	private final String pool;

	@Nullable
	private final List<String> pools;

	@Nullable
	private final String usage;

	/**
	 * @param pools the pools that exist, or {@code null} if unknown
	 * @param usage what asked for the pool, such as an {@code @Offload} method, or
	 * {@code null}
	 */
	UnknownWorkerPoolException(String pool, @Nullable List<String> pools, @Nullable String usage) {
		super(((usage != null) ? usage + " names worker pool '" : "There is no worker pool named '") + pool
				+ ((usage != null) ? "', which does not exist" : "'")
				+ ((pools != null) ? "; the pools are " + String.join(", ", pools) : ""));
		this.pool = pool;
		this.pools = pools;
		this.usage = usage;
	}

	/**
	 * The name of the pool that does not exist.
	 * @return the pool's name
	 */
	public String getPool() {
		return this.pool;
	}

	/**
	 * The pools that exist.
	 * @return their names, or {@code null} if unknown
	 */
	@Nullable
	public List<String> getPools() {
		return this.pools;
	}

	/**
	 * What asked for the pool.
	 * @return the usage, such as an {@code @Offload} method, or {@code null}
	 */
	@Nullable
	public String getUsage() {
		return this.usage;
	}

}
