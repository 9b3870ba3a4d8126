package dev.protevus.boot.data.replica;

import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import io.r2dbc.spi.Closeable;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Wrapped;
import org.reactivestreams.Publisher;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.connection.lookup.AbstractRoutingConnectionFactory;
import org.springframework.transaction.NoTransactionException;
import org.springframework.transaction.reactive.TransactionSynchronizationManager;

/**
 * The application's connection factory when it has read replicas: read-only work goes to
 * a replica, the available ones in turn, and everything else to the primary. Work is
 * read-only when a {@link ReplicaRoutingTransactionManager} begins a read-only
 * transaction for it, when it runs inside a read-only transaction of another transaction
 * manager, or when {@link ReplicaReads#onReplica} asks for it;
 * {@link ReplicaReads#onPrimary} keeps it on the primary. A replica whose connection
 * cannot be opened is taken out of turn and that read goes to the primary. Unwraps to the
 * primary, so that what looks for the application's pool finds the primary's.
 *
 * @since 0.1.0
 */
public class ReplicaRoutingConnectionFactory extends AbstractRoutingConnectionFactory
		implements Wrapped<ConnectionFactory>, Disposable, Closeable {

	private static final Object PRIMARY = "primary";

	private final ConnectionFactory primary;

	private final ReadReplicas replicas;

	private final Map<ConnectionFactory, ReadReplica> byConnectionFactory = new IdentityHashMap<>();

	/**
	 * Creates a routing connection factory.
	 * @param primary the primary's connection factory, usually its pool
	 * @param replicas the replicas reads may go to
	 */
	public ReplicaRoutingConnectionFactory(ConnectionFactory primary, ReadReplicas replicas) {
		this.primary = primary;
		this.replicas = replicas;
		Map<Object, Object> targets = new LinkedHashMap<>();
		targets.put(PRIMARY, primary);
		for (ReadReplica replica : replicas.replicas()) {
			targets.put(replica, replica.connectionFactory());
			this.byConnectionFactory.put(replica.connectionFactory(), replica);
		}
		setTargetConnectionFactories(targets);
		setDefaultTargetConnectionFactory(primary);
		setLenientFallback(false);
		afterPropertiesSet();
	}

	/**
	 * The replicas reads may go to.
	 * @return the replicas
	 */
	public ReadReplicas getReplicas() {
		return this.replicas;
	}

	@Override
	public Mono<Connection> create() {
		return determineTargetConnectionFactory().flatMap((target) -> {
			ReadReplica replica = this.byConnectionFactory.get(target);
			if (replica == null) {
				return Mono.from(target.create());
			}
			return Mono.<Connection>from(target.create()).onErrorResume((ex) -> {
				this.replicas.failed(replica, ex);
				return Mono.from(this.primary.create());
			});
		});
	}

	@Override
	protected Mono<Object> determineCurrentLookupKey() {
		return Mono.deferContextual((context) -> {
			ReplicaReads.Target target = ReplicaReads.target(context);
			if (target != null) {
				return Mono.just(lookupKey(target == ReplicaReads.Target.REPLICA));
			}
			return TransactionSynchronizationManager.forCurrentTransaction()
				.map((transaction) -> lookupKey(
						transaction.isActualTransactionActive() && transaction.isCurrentTransactionReadOnly()))
				.onErrorResume(NoTransactionException.class, (ex) -> Mono.just(PRIMARY));
		});
	}

	private Object lookupKey(boolean readOnly) {
		if (!readOnly) {
			return PRIMARY;
		}
		ReadReplica replica = this.replicas.next();
		return (replica != null) ? replica : PRIMARY;
	}

	@Override
	public ConnectionFactory unwrap() {
		return this.primary;
	}

	/**
	 * Disposes the primary's pool; the replicas' pools belong to {@link ReadReplicas}.
	 */
	@Override
	public void dispose() {
		if (this.primary instanceof Disposable disposable) {
			disposable.dispose();
		}
	}

	@Override
	public boolean isDisposed() {
		return (this.primary instanceof Disposable disposable) && disposable.isDisposed();
	}

	@Override
	public Publisher<Void> close() {
		return (this.primary instanceof Closeable closeable) ? closeable.close() : Mono.empty();
	}

}
