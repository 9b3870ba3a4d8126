package dev.protevus.boot.autoconfigure.async;

import java.util.List;

import org.springframework.lang.Nullable;

/**
 * Code asked for a worker pool that is not configured.
 */
class UnknownWorkerPoolException extends IllegalArgumentException {

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

	String getPool() {
		return this.pool;
	}

	@Nullable
	List<String> getPools() {
		return this.pools;
	}

	@Nullable
	String getUsage() {
		return this.usage;
	}

}
