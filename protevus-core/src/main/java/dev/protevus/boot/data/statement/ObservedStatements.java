package dev.protevus.boot.data.statement;

import dev.protevus.boot.data.pool.DelegatingConnection;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryMetadata;
import io.r2dbc.spi.Result;
import io.r2dbc.spi.Statement;
import io.r2dbc.spi.Wrapped;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;

/**
 * A driver's connection factory whose statements report to {@link StatementObserver}s:
 * when they start, in their subscriber's reactive context (for N+1 detection), and when
 * their results have been read (for the slow-statement log and metrics). Hand-written
 * delegates rather than r2dbc-proxy's reflective proxies, which cost a pooled
 * {@code SELECT 1} a fifth of its speed. Put it around the driver's factory, inside the
 * pool, so that the pool's own validation statements are not observed.
 *
 * @since 0.1.0
 */
public final class ObservedStatements implements ConnectionFactory, Wrapped<ConnectionFactory> {

	private final ConnectionFactory delegate;

	private final List<StatementObserver> observers;

	/**
	 * Creates a connection factory whose statements report to observers.
	 * @param delegate the driver's connection factory
	 * @param observers the observers, told in this order
	 */
	public ObservedStatements(ConnectionFactory delegate, List<StatementObserver> observers) {
		this.delegate = delegate;
		this.observers = List.copyOf(observers);
	}

	@Override
	public Publisher<? extends Connection> create() {
		return Flux.from(this.delegate.create()).map(ObservedConnection::new);
	}

	@Override
	public ConnectionFactoryMetadata getMetadata() {
		return this.delegate.getMetadata();
	}

	@Override
	public ConnectionFactory unwrap() {
		return this.delegate;
	}

	private final class ObservedConnection extends DelegatingConnection {

		ObservedConnection(Connection delegate) {
			super(delegate);
		}

		@Override
		public Statement createStatement(String sql) {
			return new ObservedStatement(unwrap().createStatement(sql), sql);
		}

	}

	private final class ObservedStatement extends DelegatingStatement {

		private final String sql;

		private boolean bound;

		ObservedStatement(Statement delegate, String sql) {
			super(delegate);
			this.sql = sql;
		}

		@Override
		public Publisher<? extends Result> execute() {
			return Flux.deferContextual((context) -> {
				for (StatementObserver observer : ObservedStatements.this.observers) {
					observer.executing(this.sql, context);
				}
				Execution execution = new Execution(this.sql, this.bound);
				return Flux.from(super.execute())
					.map(execution::observe)
					.doOnError((ex) -> execution.failed())
					.doFinally((signal) -> execution.done());
			});
		}

		@Override
		void bound() {
			this.bound = true;
		}

	}

	/**
	 * One run of a statement: ends when the execution and every result it produced are
	 * done.
	 */
	private final class Execution implements ReadingResult.Reading {

		private final String sql;

		private final boolean bound;

		private final long start = System.nanoTime();

		private final AtomicInteger open = new AtomicInteger(1);

		private final AtomicBoolean success = new AtomicBoolean(true);

		Execution(String sql, boolean bound) {
			this.sql = sql;
			this.bound = bound;
		}

		Result observe(Result result) {
			this.open.incrementAndGet();
			return new ReadingResult(result, this);
		}

		void failed() {
			this.success.set(false);
		}

		void done() {
			if (this.open.decrementAndGet() == 0) {
				Duration took = Duration.ofNanos(System.nanoTime() - this.start);
				for (StatementObserver observer : ObservedStatements.this.observers) {
					observer.executed(this.sql, took, this.success.get(), this.bound);
				}
			}
		}

		@Override
		public <T> Publisher<T> read(Publisher<T> rows) {
			return Flux.from(rows).doOnError((ex) -> failed()).doFinally((signal) -> done());
		}

	}

}
