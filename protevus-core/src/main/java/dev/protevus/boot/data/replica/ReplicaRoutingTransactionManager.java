package dev.protevus.boot.data.replica;

import io.r2dbc.spi.ConnectionFactory;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.connection.R2dbcTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.reactive.TransactionSynchronizationManager;

/**
 * An {@link R2dbcTransactionManager} whose read-only transactions begin on a read
 * replica. Spring opens a transaction's connection before it marks the transaction
 * read-only, so a routing connection factory cannot tell from the transaction alone; this
 * manager tells it through the Reactor context while the connection is opened. An
 * explicit {@link ReplicaReads#onPrimary} around the transaction keeps it on the primary;
 * any transaction that is not read-only begins on the primary.
 *
 * @since 0.1.0
 */
public class ReplicaRoutingTransactionManager extends R2dbcTransactionManager {

	/**
	 * Creates a transaction manager.
	 * @param connectionFactory the application's connection factory, usually a
	 * {@link ReplicaRoutingConnectionFactory}
	 */
	public ReplicaRoutingTransactionManager(ConnectionFactory connectionFactory) {
		super(connectionFactory);
	}

	@Override
	protected Mono<Void> doBegin(TransactionSynchronizationManager synchronizationManager, Object transaction,
			TransactionDefinition definition) {
		boolean readOnly = definition.isReadOnly();
		return super.doBegin(synchronizationManager, transaction, definition)
			.contextWrite((context) -> ReplicaReads.forTransaction(context, readOnly));
	}

}
