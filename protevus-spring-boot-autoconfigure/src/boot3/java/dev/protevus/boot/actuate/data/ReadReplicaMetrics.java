package dev.protevus.boot.actuate.data;

import java.util.function.Supplier;

import dev.protevus.boot.data.replica.ReadReplica;
import dev.protevus.boot.data.replica.ReadReplicas;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.r2dbc.pool.ConnectionPool;

import org.springframework.boot.actuate.metrics.r2dbc.ConnectionPoolMetrics;

/**
 * The meters of each read replica: Spring Boot's {@code r2dbc.pool.*} meters of its pool,
 * tagged {@code name} with the replica's name, as Boot tags the primary's pool with its
 * bean name; {@code protevus.data.replica.lag}, in seconds, NaN while unknown; and
 * {@code protevus.data.replica.available}, 1 while the replica takes reads. Binds nothing
 * when the application has no replicas.
 *
 * @since 0.1.0
 */
public class ReadReplicaMetrics implements MeterBinder {

	/**
	 * The lag gauge's name.
	 */
	public static final String LAG = ReadReplicaChecks.LAG;

	/**
	 * The availability gauge's name.
	 */
	public static final String AVAILABLE = ReadReplicaChecks.AVAILABLE;

	private final Supplier<ReadReplicas> replicas;

	/**
	 * Creates the meters of the replicas that a supplier gives when they are bound.
	 * @param replicas the replicas, or {@code null} from the supplier when there are none
	 */
	public ReadReplicaMetrics(Supplier<ReadReplicas> replicas) {
		this.replicas = replicas;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		ReadReplicas replicas = this.replicas.get();
		if (replicas == null) {
			return;
		}
		for (ReadReplica replica : replicas.replicas()) {
			ConnectionPool pool = replica.pool();
			if (pool != null) {
				new ConnectionPoolMetrics(pool, replica.name(), Tags.empty()).bindTo(registry);
			}
			ReadReplicaChecks.registerGauges(registry, replica);
		}
	}

}
