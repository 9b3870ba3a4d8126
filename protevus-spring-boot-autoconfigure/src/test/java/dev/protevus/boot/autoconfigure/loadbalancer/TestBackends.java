package dev.protevus.boot.autoconfigure.loadbalancer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * Small real HTTP backends on free ports: each answers {@code /who} with its port after
 * its service time, counts the requests it got, and answers {@code /health}. A backend
 * serves one request at a time, like a single worker: requests queue behind each other,
 * so a slow backend gets slower under load.
 */
final class TestBackends implements AutoCloseable {

	private final List<Backend> backends = new ArrayList<>();

	TestBackends(int count) {
		for (int i = 0; i < count; i++) {
			this.backends.add(new Backend());
		}
	}

	Backend get(int index) {
		return this.backends.get(index);
	}

	List<Backend> all() {
		return this.backends;
	}

	int size() {
		return this.backends.size();
	}

	/**
	 * The instances as a property value.
	 */
	String instances() {
		return this.backends.stream().map(Backend::url).collect(Collectors.joining(","));
	}

	int total() {
		return this.backends.stream().mapToInt(Backend::requests).sum();
	}

	@Override
	public void close() {
		this.backends.forEach(Backend::stop);
	}

	static final class Backend {

		private final AtomicInteger requests = new AtomicInteger();

		private final AtomicLong freeAt = new AtomicLong();

		private volatile Duration serviceTime = Duration.ZERO;

		private volatile int status = 200;

		private volatile int healthStatus = 200;

		private volatile DisposableServer server;

		private final int port;

		Backend() {
			this.server = start(0);
			this.port = this.server.port();
		}

		private DisposableServer start(int port) {
			return HttpServer.create()
				.host("127.0.0.1")
				.port(port)
				.route((routes) -> routes
					.get("/health",
							(request, response) -> response.status(this.healthStatus).sendString(Mono.just("{}")))
					.route((request) -> request.uri().startsWith("/who"), (request, response) -> {
						this.requests.incrementAndGet();
						return Mono.delay(queueDelay())
							.then(response.status(this.status).sendString(Mono.just(String.valueOf(this.port))).then());
					}))
				.bindNow();
		}

		/**
		 * How long a request arriving now waits and is served, with one request served at
		 * a time.
		 */
		private Duration queueDelay() {
			long service = this.serviceTime.toNanos();
			if (service == 0) {
				return Duration.ZERO;
			}
			long now = System.nanoTime();
			long done = this.freeAt.updateAndGet((free) -> Math.max(free, now) + service);
			return Duration.ofNanos(done - now);
		}

		int port() {
			return this.port;
		}

		String url() {
			return "http://127.0.0.1:" + this.port;
		}

		String key() {
			return "127.0.0.1:" + this.port;
		}

		int requests() {
			return this.requests.get();
		}

		Backend serviceTime(Duration time) {
			this.serviceTime = time;
			return this;
		}

		Backend status(int status) {
			this.status = status;
			return this;
		}

		Backend healthStatus(int status) {
			this.healthStatus = status;
			return this;
		}

		void reset() {
			this.requests.set(0);
		}

		void stop() {
			DisposableServer current = this.server;
			if (current != null) {
				current.disposeNow();
				this.server = null;
			}
		}

		void restart() {
			if (this.server == null) {
				this.server = start(this.port);
			}
		}

	}

}
