package dev.protevus.boot.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * A real server that tests talk to: either started here from Maven artifacts, once per
 * JVM and stopped at JVM exit, or an external one named by an environment variable.
 * Embedded servers can be stopped and started again mid-test, on the same port, to
 * exercise failure handling.
 *
 * @since 0.1.0
 */
public abstract sealed class TestServer permits TestPostgres, TestRedis, TestMemcached {

	private final String name;

	private final boolean embedded;

	private boolean running;

	TestServer(String name, boolean embedded) {
		this.name = name;
		this.embedded = embedded;
	}

	/**
	 * Whether this server was started here, rather than named by an environment variable.
	 * @return {@code true} for an embedded server
	 */
	public boolean isEmbedded() {
		return this.embedded;
	}

	/**
	 * Whether the server accepts connections. An external server is assumed to.
	 * @return {@code true} unless an embedded server was stopped
	 */
	public synchronized boolean isRunning() {
		return !this.embedded || this.running;
	}

	/**
	 * Stops the embedded server, keeping its port and data so that {@link #start()}
	 * brings the same server back. Does nothing when it is already stopped.
	 * @throws IllegalStateException when the server is external
	 */
	public synchronized void stop() {
		requireEmbedded("stop");
		if (this.running) {
			io(this::doStop);
			this.running = false;
		}
	}

	/**
	 * Starts the embedded server again after {@link #stop()}, on the same port and with
	 * the same data. Returns once it accepts connections; does nothing when it is already
	 * running.
	 * @throws IllegalStateException when the server is external
	 */
	public synchronized void start() {
		requireEmbedded("start");
		if (!this.running) {
			io(this::doStart);
			this.running = true;
		}
	}

	/**
	 * The Spring Boot properties that connect an application to this server.
	 * @return property names and values, in a stable order
	 */
	public abstract Map<String, String> springProperties();

	/**
	 * {@link #springProperties()} as {@code name=value} pairs, ready for
	 * {@code ApplicationContextRunner.withPropertyValues(...)}.
	 * @return the properties as pairs
	 */
	public String[] propertyValues() {
		return springProperties().entrySet()
			.stream()
			.map((entry) -> entry.getKey() + "=" + entry.getValue())
			.toArray(String[]::new);
	}

	abstract void doStart() throws IOException;

	abstract void doStop() throws IOException;

	/**
	 * Frees what the server kept across restarts (its data directory), once, at JVM exit.
	 */
	void release() throws IOException {
	}

	/**
	 * Starts an embedded server for the first time and stops it when the JVM exits.
	 */
	final void startOnce() {
		if (this.embedded) {
			start();
			Runtime.getRuntime().addShutdownHook(new Thread(this::stopQuietly, "protevus-test-" + this.name + "-stop"));
		}
	}

	private synchronized void stopQuietly() {
		try {
			if (this.running) {
				doStop();
				this.running = false;
			}
			release();
		}
		catch (IOException | RuntimeException ex) {
			// The JVM is exiting; nothing is left to report to.
		}
	}

	private void requireEmbedded(String action) {
		if (!this.embedded) {
			throw new IllegalStateException(
					"Cannot " + action + " the external " + this.name + " server named by the environment");
		}
	}

	private void io(IoAction action) {
		try {
			action.run();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Embedded " + this.name + " failed: " + ex.getMessage(), ex);
		}
	}

	@FunctionalInterface
	private interface IoAction {

		void run() throws IOException;

	}

}
