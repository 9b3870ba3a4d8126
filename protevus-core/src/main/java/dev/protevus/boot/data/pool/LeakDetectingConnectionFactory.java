package dev.protevus.boot.data.pool;

import io.r2dbc.spi.Closeable;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryMetadata;
import io.r2dbc.spi.Wrapped;
import org.reactivestreams.Publisher;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * The application's connection factory with every connection it hands out watched by a
 * {@link ConnectionLeakDetector} until it is closed. Keeps {@code dispose()} and
 * {@code close()} so that it can take the pool's place as a bean, and unwraps to the pool
 * for everything that looks for one.
 *
 * @since 0.1.0
 */
public class LeakDetectingConnectionFactory
		implements ConnectionFactory, Wrapped<ConnectionFactory>, Disposable, Closeable {

	private final ConnectionFactory target;

	private final ConnectionLeakDetector detector;

	/**
	 * Creates a connection factory whose connections are watched for leaks.
	 * @param target the factory to watch, usually the pool
	 * @param detector the detector to report acquisitions and releases to
	 */
	public LeakDetectingConnectionFactory(ConnectionFactory target, ConnectionLeakDetector detector) {
		this.target = target;
		this.detector = detector;
	}

	@Override
	public Publisher<? extends Connection> create() {
		return Mono.from(this.target.create())
			.map((connection) -> new WatchedConnection(connection,
					this.detector.acquired(new Throwable("Connection acquired here"))));
	}

	@Override
	public ConnectionFactoryMetadata getMetadata() {
		return this.target.getMetadata();
	}

	@Override
	public ConnectionFactory unwrap() {
		return this.target;
	}

	@Override
	public void dispose() {
		if (this.target instanceof Disposable disposable) {
			disposable.dispose();
		}
	}

	@Override
	public boolean isDisposed() {
		return (this.target instanceof Disposable disposable) && disposable.isDisposed();
	}

	@Override
	public Publisher<Void> close() {
		return (this.target instanceof Closeable closeable) ? closeable.close() : Mono.empty();
	}

	private final class WatchedConnection extends DelegatingConnection {

		private final long id;

		WatchedConnection(Connection delegate, long id) {
			super(delegate);
			this.id = id;
		}

		@Override
		public Publisher<Void> close() {
			return Mono.defer(() -> {
				LeakDetectingConnectionFactory.this.detector.released(this.id);
				return Mono.from(unwrap().close());
			});
		}

	}

}
