package dev.protevus.boot.data.statement;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.protevus.boot.data.StatementTimeoutException;
import dev.protevus.boot.data.pool.DelegatingConnection;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryMetadata;
import io.r2dbc.spi.Result;
import io.r2dbc.spi.Statement;
import io.r2dbc.spi.ValidationDepth;
import io.r2dbc.spi.Wrapped;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.reactivestreams.Publisher;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import org.springframework.util.Assert;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * A driver's connection factory whose statements may run for a bounded time, from
 * execution until their results have been read. A statement that runs out of time fails
 * with {@link StatementTimeoutException}; its connection asks the server to cancel what
 * it runs (with the driver's cancel request where it has one, as r2dbc-postgresql does)
 * and is closed, and the pool, which validates connections when they are acquired,
 * replaces it. So a hung or frozen database fails requests within the timeout instead of
 * holding them and their connections until the server answers, and a runaway statement
 * stops using the database.
 * <p>
 * The timer is client side, on Reactor's parallel scheduler, so it works when the server
 * answers nothing at all, which a server-side {@code statement_timeout} cannot. Put it
 * around the driver's factory, inside the pool.
 *
 * @since 0.1.0
 */
public final class StatementTimeouts implements ConnectionFactory, Wrapped<ConnectionFactory> {

	private static final Log logger = LogFactory.getLog(StatementTimeouts.class);

	private static final Map<Class<?>, Method> CANCEL_METHODS = new ConcurrentHashMap<>();

	private static final Method NO_CANCEL = ReflectionUtils.findMethod(Object.class, "toString");

	private final ConnectionFactory delegate;

	private final Duration timeout;

	private final Scheduler scheduler = Schedulers.parallel();

	/**
	 * Creates a connection factory whose statements may run for a bounded time.
	 * @param delegate the driver's connection factory
	 * @param timeout how long a statement may run, from execution until its results have
	 * been read
	 */
	public StatementTimeouts(ConnectionFactory delegate, Duration timeout) {
		Assert.notNull(delegate, "delegate must not be null");
		Assert.isTrue(timeout != null && !timeout.isNegative() && !timeout.isZero(),
				() -> "timeout must be positive but was " + timeout);
		this.delegate = delegate;
		this.timeout = timeout;
	}

	@Override
	public Publisher<? extends Connection> create() {
		return Flux.from(this.delegate.create()).map(TimedConnection::new);
	}

	@Override
	public ConnectionFactoryMetadata getMetadata() {
		return this.delegate.getMetadata();
	}

	@Override
	public ConnectionFactory unwrap() {
		return this.delegate;
	}

	/**
	 * The statement timeout.
	 * @return how long a statement may run
	 */
	public Duration getTimeout() {
		return this.timeout;
	}

	private final class TimedConnection extends DelegatingConnection {

		private final AtomicBoolean aborted = new AtomicBoolean();

		TimedConnection(Connection delegate) {
			super(delegate);
		}

		@Override
		public Statement createStatement(String sql) {
			return new TimedStatement(unwrap().createStatement(sql), this);
		}

		@Override
		public Publisher<Boolean> validate(ValidationDepth depth) {
			return this.aborted.get() ? Mono.just(false) : super.validate(depth);
		}

		@Override
		public Publisher<Void> close() {
			return this.aborted.get() ? Mono.empty() : super.close();
		}

		/**
		 * Asks the server to cancel what this connection runs and closes it, once; both
		 * in the background, each bounded by the timeout, since a server that hangs
		 * answers neither.
		 */
		void abort() {
			if (!this.aborted.compareAndSet(false, true)) {
				return;
			}
			Connection connection = unwrap();
			Method cancel = CANCEL_METHODS.computeIfAbsent(connection.getClass(), StatementTimeouts::cancelMethod);
			if (cancel != NO_CANCEL) {
				background(Mono.defer(() -> Mono.from((Publisher<?>) ReflectionUtils.invokeMethod(cancel, connection))),
						"cancel");
			}
			background(Mono.defer(() -> Mono.from(connection.close())), "close");
		}

		private void background(Mono<?> action, String what) {
			Duration timeout = StatementTimeouts.this.timeout;
			action.timeout(timeout, StatementTimeouts.this.scheduler).subscribe(null, (ex) -> {
				if (logger.isDebugEnabled()) {
					logger.debug("Could not " + what + " the connection of a timed out statement: " + ex);
				}
			});
		}

	}

	private static Method cancelMethod(Class<?> connectionType) {
		// r2dbc-postgresql's PostgresqlConnection#cancelRequest(); found by name so that
		// the driver stays optional.
		for (Class<?> type : ClassUtils.getAllInterfacesForClassAsSet(connectionType)) {
			Method method = ReflectionUtils.findMethod(type, "cancelRequest");
			if (method != null && Publisher.class.isAssignableFrom(method.getReturnType())) {
				return method;
			}
		}
		return NO_CANCEL;
	}

	private final class TimedStatement extends DelegatingStatement {

		private final TimedConnection connection;

		TimedStatement(Statement delegate, TimedConnection connection) {
			super(delegate);
			this.connection = connection;
		}

		@Override
		public Publisher<? extends Result> execute() {
			return Flux.defer(() -> {
				Deadline deadline = new Deadline(this.connection);
				return deadline.read(super.execute()).map(deadline::observe);
			});
		}

	}

	/**
	 * The time one execution has, shared by its result stream and the rows of each of its
	 * results: one timer, disposed when all of them are done.
	 */
	private final class Deadline implements ReadingResult.Reading {

		private final TimedConnection connection;

		private final Sinks.One<Boolean> expiry = Sinks.one();

		// The result stream, then each result from its emission until it has been read.
		private final AtomicInteger open = new AtomicInteger(1);

		private final AtomicBoolean expired = new AtomicBoolean();

		private final Disposable timer;

		Deadline(TimedConnection connection) {
			this.connection = connection;
			this.timer = StatementTimeouts.this.scheduler.schedule(this::expire,
					StatementTimeouts.this.timeout.toNanos(), TimeUnit.NANOSECONDS);
		}

		@Override
		public <T> Flux<T> read(Publisher<T> source) {
			return Flux.from(source)
				.takeUntilOther(this.expiry.asMono())
				.concatWith(Flux.defer(() -> this.expired.get()
						? Flux.error(new StatementTimeoutException(StatementTimeouts.this.timeout)) : Flux.empty()))
				.doFinally((signal) -> done());
		}

		Result observe(Result result) {
			this.open.incrementAndGet();
			return new ReadingResult(result, this);
		}

		private void done() {
			if (this.open.decrementAndGet() == 0 && !this.expired.get()) {
				this.timer.dispose();
			}
		}

		private void expire() {
			if (this.open.get() > 0 && this.expired.compareAndSet(false, true)) {
				// First end the caller's streams with the timeout, then close the
				// connection, whose closing would otherwise reach them as a closed
				// connection.
				this.expiry.tryEmitValue(true);
				this.connection.abort();
			}
		}

	}

}
