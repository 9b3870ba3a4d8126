package dev.protevus.boot.autoconfigure.data;

import java.time.Duration;

import io.r2dbc.spi.Batch;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryMetadata;
import io.r2dbc.spi.ConnectionMetadata;
import io.r2dbc.spi.IsolationLevel;
import io.r2dbc.spi.Result;
import io.r2dbc.spi.Statement;
import io.r2dbc.spi.TransactionDefinition;
import io.r2dbc.spi.ValidationDepth;
import io.r2dbc.spi.Wrapped;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Plain delegates of R2DBC's connection factory, connection and statement whose only change is
 * that {@link Statement#execute()} tells the {@link NPlusOneDetector} about the statement in the
 * reactive context of its subscriber, where the {@code StatementScope} lives. A delegate, rather
 * than an r2dbc-proxy listener, because only the statement itself can fail in fail mode.
 */
final class ScopedStatements {

	private ScopedStatements() {
	}

	static final class Factory implements ConnectionFactory, Wrapped<ConnectionFactory> {

		private final ConnectionFactory delegate;

		private final NPlusOneDetector detector;

		Factory(ConnectionFactory delegate, NPlusOneDetector detector) {
			this.delegate = delegate;
			this.detector = detector;
		}

		@Override
		public Publisher<? extends Connection> create() {
			return Mono.from(this.delegate.create()).map((connection) -> new ScopedConnection(connection, this.detector));
		}

		@Override
		public ConnectionFactoryMetadata getMetadata() {
			return this.delegate.getMetadata();
		}

		@Override
		public ConnectionFactory unwrap() {
			return this.delegate;
		}

	}

	static final class ScopedConnection implements Connection, Wrapped<Connection> {

		private final Connection delegate;

		private final NPlusOneDetector detector;

		ScopedConnection(Connection delegate, NPlusOneDetector detector) {
			this.delegate = delegate;
			this.detector = detector;
		}

		@Override
		public Statement createStatement(String sql) {
			return new ScopedStatement(this.delegate.createStatement(sql), sql, this.detector);
		}

		@Override
		public Publisher<Void> beginTransaction() {
			return this.delegate.beginTransaction();
		}

		@Override
		public Publisher<Void> beginTransaction(TransactionDefinition definition) {
			return this.delegate.beginTransaction(definition);
		}

		@Override
		public Publisher<Void> close() {
			return this.delegate.close();
		}

		@Override
		public Publisher<Void> commitTransaction() {
			return this.delegate.commitTransaction();
		}

		@Override
		public Batch createBatch() {
			return this.delegate.createBatch();
		}

		@Override
		public Publisher<Void> createSavepoint(String name) {
			return this.delegate.createSavepoint(name);
		}

		@Override
		public boolean isAutoCommit() {
			return this.delegate.isAutoCommit();
		}

		@Override
		public ConnectionMetadata getMetadata() {
			return this.delegate.getMetadata();
		}

		@Override
		public IsolationLevel getTransactionIsolationLevel() {
			return this.delegate.getTransactionIsolationLevel();
		}

		@Override
		public Publisher<Void> releaseSavepoint(String name) {
			return this.delegate.releaseSavepoint(name);
		}

		@Override
		public Publisher<Void> rollbackTransaction() {
			return this.delegate.rollbackTransaction();
		}

		@Override
		public Publisher<Void> rollbackTransactionToSavepoint(String name) {
			return this.delegate.rollbackTransactionToSavepoint(name);
		}

		@Override
		public Publisher<Void> setAutoCommit(boolean autoCommit) {
			return this.delegate.setAutoCommit(autoCommit);
		}

		@Override
		public Publisher<Void> setLockWaitTimeout(Duration timeout) {
			return this.delegate.setLockWaitTimeout(timeout);
		}

		@Override
		public Publisher<Void> setStatementTimeout(Duration timeout) {
			return this.delegate.setStatementTimeout(timeout);
		}

		@Override
		public Publisher<Void> setTransactionIsolationLevel(IsolationLevel isolationLevel) {
			return this.delegate.setTransactionIsolationLevel(isolationLevel);
		}

		@Override
		public Publisher<Boolean> validate(ValidationDepth depth) {
			return this.delegate.validate(depth);
		}

		@Override
		public Connection unwrap() {
			return this.delegate;
		}

	}

	static final class ScopedStatement implements Statement, Wrapped<Statement> {

		private final Statement delegate;

		private final String sql;

		private final NPlusOneDetector detector;

		ScopedStatement(Statement delegate, String sql, NPlusOneDetector detector) {
			this.delegate = delegate;
			this.sql = sql;
			this.detector = detector;
		}

		@Override
		public Publisher<? extends Result> execute() {
			return Flux.deferContextual((context) -> {
				this.detector.executing(this.sql, context);
				return this.delegate.execute();
			});
		}

		@Override
		public Statement add() {
			this.delegate.add();
			return this;
		}

		@Override
		public Statement bind(int index, Object value) {
			this.delegate.bind(index, value);
			return this;
		}

		@Override
		public Statement bind(String name, Object value) {
			this.delegate.bind(name, value);
			return this;
		}

		@Override
		public Statement bindNull(int index, Class<?> type) {
			this.delegate.bindNull(index, type);
			return this;
		}

		@Override
		public Statement bindNull(String name, Class<?> type) {
			this.delegate.bindNull(name, type);
			return this;
		}

		@Override
		public Statement returnGeneratedValues(String... columns) {
			this.delegate.returnGeneratedValues(columns);
			return this;
		}

		@Override
		public Statement fetchSize(int rows) {
			this.delegate.fetchSize(rows);
			return this;
		}

		@Override
		public Statement unwrap() {
			return this.delegate;
		}

	}

}
