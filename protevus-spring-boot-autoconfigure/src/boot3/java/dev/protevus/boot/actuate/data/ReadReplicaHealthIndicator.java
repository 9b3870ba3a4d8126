package dev.protevus.boot.actuate.data;


import dev.protevus.boot.data.replica.ReadReplica;
import reactor.core.publisher.Mono;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.ReactiveHealthIndicator;

/**
 * The health of a read replica's pool, as {@link ConnectionPoolHealthIndicator} reports
 * it, with whether the replica takes reads: {@code available}, its {@code lag} in
 * milliseconds when known, and the {@code reason} it takes none. A replica that is
 * reachable but too far behind stays UP, since the application keeps working on the
 * primary; its {@code available} detail is {@code false}.
 *
 * @since 0.1.0
 */
public class ReadReplicaHealthIndicator implements ReactiveHealthIndicator {

	private final ReadReplica replica;

	private final ReactiveHealthIndicator pool;

	/**
	 * Creates the health indicator of a replica.
	 * @param replica the replica
	 * @param pool the health indicator of its pool
	 */
	public ReadReplicaHealthIndicator(ReadReplica replica, ReactiveHealthIndicator pool) {
		this.replica = replica;
		this.pool = pool;
	}

	@Override
	public Mono<Health> health() {
		return this.pool.health()
			.map((health) -> Health.status(health.getStatus())
				.withDetails(health.getDetails())
				.withDetails(ReadReplicaChecks.replicaDetails(this.replica))
				.build());
	}

}
