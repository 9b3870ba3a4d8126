package dev.protevus.boot.autoconfigure.data;

import io.r2dbc.proxy.ProxyConnectionFactory;
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
 * {@link ConnectionLeakDetector}. Keeps {@code dispose()} and {@code close()} so that it can take
 * the pool's place as a bean, and unwraps to the pool for everything that looks for one.
 */
class LeakDetectingConnectionFactory implements ConnectionFactory, Wrapped<ConnectionFactory>, Disposable, Closeable {

	private final ConnectionFactory target;

	private final ConnectionFactory watched;

	LeakDetectingConnectionFactory(ConnectionFactory target, ConnectionLeakDetector detector) {
		this.target = target;
		this.watched = ProxyConnectionFactory.builder(target).listener(detector).build();
	}

	@Override
	public Publisher<? extends Connection> create() {
		return this.watched.create();
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

}
