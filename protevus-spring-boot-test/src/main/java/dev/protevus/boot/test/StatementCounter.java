package dev.protevus.boot.test;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

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
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

import org.springframework.boot.r2dbc.ConnectionFactoryDecorator;

/**
 * Counts the statements an application executes, so that a test can say "this endpoint
 * ran 3 statements" without reading metric deltas. As a bean it is a Spring Boot
 * {@link ConnectionFactoryDecorator}, which Boot applies to the driver's connection
 * factory inside the pool: add it with {@link WithStatementCounter @WithStatementCounter}
 * on a test class, or {@code withBean(StatementCounter.class)} on an
 * {@code ApplicationContextRunner}, or wrap a factory yourself with
 * {@link #decorate(ConnectionFactory)}. <pre class="code">
 * &#64;Autowired StatementCounter statements;
 *
 * List&lt;String&gt; sql = statements.during(() -&gt; client.get().uri("/authors?include=books")
 *     .exchange().expectStatus().isOk());
 * assertThat(sql).hasSize(2);
 * </pre> A statement counts when it is executed (each statement of a {@code Batch} once),
 * by whatever runs it: concurrent requests, scheduled work and the pool's validation
 * query, if one is configured, count too, so measure one request at a time.
 *
 * @since 0.1.0
 */
public class StatementCounter implements ConnectionFactoryDecorator {

	/**
	 * How many statement texts are kept, the latest ones; the count has no limit.
	 */
	public static final int MAX_KEPT = 10_000;

	private final AtomicLong count = new AtomicLong();

	private final Deque<Executed> kept = new ArrayDeque<>();

	@Override
	public ConnectionFactory decorate(ConnectionFactory connectionFactory) {
		return new CountingConnectionFactory(connectionFactory);
	}

	/**
	 * How many statements have been executed since this counter was created or last
	 * {@link #reset()}.
	 * @return the count
	 */
	public long count() {
		return this.count.get();
	}

	/**
	 * The text of the statements executed since this counter was created or last
	 * {@link #reset()}, in order, the latest {@value #MAX_KEPT} at most.
	 * @return the statements' SQL
	 */
	public List<String> statements() {
		return since(0);
	}

	/**
	 * Forgets the statements counted so far.
	 */
	public void reset() {
		synchronized (this.kept) {
			this.kept.clear();
			this.count.set(0);
		}
	}

	/**
	 * Runs an action, such as a {@code WebTestClient} exchange, and returns the
	 * statements executed while it ran. The action must wait for its work, as a
	 * {@code WebTestClient} exchange or a {@code block()} does; statements that other
	 * work ran meanwhile count too.
	 * @param action the action
	 * @return the SQL of the statements executed while it ran, in order
	 */
	public List<String> during(Runnable action) {
		long before = this.count.get();
		action.run();
		return since(before);
	}

	private List<String> since(long sequence) {
		List<String> statements = new ArrayList<>();
		synchronized (this.kept) {
			for (Executed executed : this.kept) {
				if (executed.sequence() > sequence) {
					statements.add(executed.sql());
				}
			}
		}
		return statements;
	}

	private void executed(String sql) {
		synchronized (this.kept) {
			long sequence = this.count.incrementAndGet();
			if (this.kept.size() == MAX_KEPT) {
				this.kept.removeFirst();
			}
			this.kept.addLast(new Executed(sequence, sql));
		}
	}

	@Override
	public String toString() {
		return "StatementCounter (" + count() + " statements)";
	}

	/**
	 * A publisher of {@code source}'s items passed through a function; plain Reactive
	 * Streams, since this module does not bring Reactor.
	 */
	private static <T, R> Publisher<R> mapped(Publisher<? extends T> source, Function<T, R> function) {
		return (subscriber) -> source.subscribe(new Subscriber<T>() {

			@Override
			public void onSubscribe(Subscription subscription) {
				subscriber.onSubscribe(subscription);
			}

			@Override
			public void onNext(T item) {
				subscriber.onNext(function.apply(item));
			}

			@Override
			public void onError(Throwable ex) {
				subscriber.onError(ex);
			}

			@Override
			public void onComplete() {
				subscriber.onComplete();
			}

		});
	}

	private record Executed(long sequence, String sql) {

	}

	private final class CountingConnectionFactory implements ConnectionFactory, Wrapped<ConnectionFactory> {

		private final ConnectionFactory delegate;

		CountingConnectionFactory(ConnectionFactory delegate) {
			this.delegate = delegate;
		}

		@Override
		public Publisher<? extends Connection> create() {
			return mapped(this.delegate.create(), CountingConnection::new);
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

	private final class CountingConnection implements Connection, Wrapped<Connection> {

		private final Connection delegate;

		CountingConnection(Connection delegate) {
			this.delegate = delegate;
		}

		@Override
		public Statement createStatement(String sql) {
			return new CountingStatement(this.delegate.createStatement(sql), sql);
		}

		@Override
		public Batch createBatch() {
			return new CountingBatch(this.delegate.createBatch());
		}

		@Override
		public Publisher<Void> close() {
			return this.delegate.close();
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
		public Publisher<Void> commitTransaction() {
			return this.delegate.commitTransaction();
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

	private final class CountingStatement implements Statement, Wrapped<Statement> {

		private final Statement delegate;

		private final String sql;

		CountingStatement(Statement delegate, String sql) {
			this.delegate = delegate;
			this.sql = sql;
		}

		@Override
		public Publisher<? extends Result> execute() {
			Publisher<? extends Result> results = this.delegate.execute();
			return (subscriber) -> {
				executed(this.sql);
				results.subscribe(subscriber);
			};
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

	private final class CountingBatch implements Batch, Wrapped<Batch> {

		private final Batch delegate;

		private final List<String> sql = new ArrayList<>();

		CountingBatch(Batch delegate) {
			this.delegate = delegate;
		}

		@Override
		public Batch add(String sql) {
			this.delegate.add(sql);
			this.sql.add(sql);
			return this;
		}

		@Override
		public Publisher<? extends Result> execute() {
			Publisher<? extends Result> results = this.delegate.execute();
			List<String> statements = List.copyOf(this.sql);
			return (subscriber) -> {
				statements.forEach(StatementCounter.this::executed);
				results.subscribe(subscriber);
			};
		}

		@Override
		public Batch unwrap() {
			return this.delegate;
		}

	}

}
