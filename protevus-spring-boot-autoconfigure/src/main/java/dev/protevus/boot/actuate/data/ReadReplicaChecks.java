package dev.protevus.boot.actuate.data;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.protevus.boot.data.replica.ReadReplica;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.spi.Connection;
import reactor.core.publisher.Mono;

/**
 * What the pool and replica health indicators and {@link ReadReplicaMetrics} report, on
 * both Spring Boot lines, whose health and pool metrics types are in different packages:
 * each line's classes turn these results into its own {@code Health} and meters.
 */
final class ReadReplicaChecks {

	static final String LAG = "protevus.data.replica.lag";

	static final String AVAILABLE = "protevus.data.replica.available";

	private ReadReplicaChecks() {
	}

	/**
	 * Whether the pool hands out a connection within the acquire time, with its
	 * {@code acquired}, {@code idle}, {@code pending} and {@code max} counts, and the
	 * {@code error} when it does not.
	 */
	static Mono<PoolHealth> poolHealth(ConnectionPool pool, Duration acquireTime) {
		return Mono.defer(() -> {
			Map<String, Object> before = poolDetails(pool);
			return Mono.usingWhen(pool.create(), (connection) -> Mono.just(new PoolHealth(true, before)),
					Connection::close);
		}).timeout(acquireTime).onErrorResume((ex) -> {
			Map<String, Object> details = poolDetails(pool);
			details.put("error", "No connection within " + acquireTime + ": " + ex.getClass().getSimpleName());
			return Mono.just(new PoolHealth(false, details));
		});
	}

	private static Map<String, Object> poolDetails(ConnectionPool pool) {
		Map<String, Object> details = new LinkedHashMap<>();
		pool.getMetrics().ifPresent((metrics) -> {
			details.put("acquired", metrics.acquiredSize());
			details.put("idle", metrics.idleSize());
			details.put("pending", metrics.pendingAcquireSize());
			details.put("max", metrics.getMaxAllocatedSize());
		});
		return details;
	}

	/**
	 * A replica's health details beside those of its pool: {@code replica},
	 * {@code available}, and {@code lagMillis} and {@code reason} when known.
	 */
	static Map<String, Object> replicaDetails(ReadReplica replica) {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("replica", replica.description());
		details.put("available", replica.isAvailable());
		Duration lag = replica.lag();
		if (lag != null) {
			details.put("lagMillis", lag.toMillis());
		}
		String reason = replica.reason();
		if (reason != null) {
			details.put("reason", reason);
		}
		return details;
	}

	/**
	 * Registers a replica's lag and availability gauges, tagged with its name.
	 */
	static void registerGauges(MeterRegistry registry, ReadReplica replica) {
		Gauge.builder(LAG, replica, ReadReplicaChecks::lagSeconds)
			.description("How far behind the primary the latest check found the read replica")
			.baseUnit("seconds")
			.tag("name", replica.name())
			.register(registry);
		Gauge.builder(AVAILABLE, replica, (r) -> r.isAvailable() ? 1 : 0)
			.description("Whether the read replica takes reads")
			.tag("name", replica.name())
			.register(registry);
	}

	private static double lagSeconds(ReadReplica replica) {
		Duration lag = replica.lag();
		return (lag != null) ? lag.toNanos() / 1e9 : Double.NaN;
	}

	/**
	 * The health of a pool.
	 *
	 * @param up whether it handed out a connection in time
	 * @param details its counts, and the error when it is down
	 */
	record PoolHealth(boolean up, Map<String, Object> details) {

	}

}
