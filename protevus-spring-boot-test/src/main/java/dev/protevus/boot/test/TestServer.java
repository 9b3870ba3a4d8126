package dev.protevus.boot.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real server that tests talk to: either started here from Maven artifacts, once per
 * JVM and stopped at JVM exit, or an external one named by an environment variable.
 * Embedded servers can be stopped and started again mid-test, on the same port, and
 * paused (every process of the server stopped with {@code SIGSTOP}, so connections stay
 * open but nothing answers), to exercise failure handling.
 *
 * @since 0.1.0
 */
public abstract sealed class TestServer
		permits TestPostgres, TestPostgresReplica, TestRedis, TestRedisCluster, TestRedisSentinel, TestMemcached {

	private final String name;

	private final boolean embedded;

	private boolean running;

	private List<ProcessHandle> paused;

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
		resume();
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
	 * Freezes the embedded server: every one of its processes gets {@code SIGSTOP}, so it
	 * keeps its port and open connections but answers nothing, as a hung or black-holed
	 * server would. {@link #resume()} lets it go on where it stopped. Does nothing when
	 * it is already paused. Needs a POSIX {@code kill} command.
	 * @throws IllegalStateException when the server is external or stopped
	 */
	public synchronized void pause() {
		requireEmbedded("pause");
		if (!this.running) {
			throw new IllegalStateException("Cannot pause the stopped " + this.name + " server");
		}
		if (this.paused == null) {
			ProcessHandle main = processOrFail();
			// Stop the main process first: it can then neither fork new children nor reap
			// the ones that exit, so the list of descendants taken next stays true.
			signal("STOP", List.of(main));
			try {
				List<ProcessHandle> processes = new ArrayList<>();
				processes.add(main);
				List<ProcessHandle> descendants = main.descendants().toList();
				signal("STOP", descendants);
				processes.addAll(descendants);
				this.paused = processes;
			}
			catch (RuntimeException ex) {
				signal("CONT", List.of(main));
				throw ex;
			}
		}
	}

	/**
	 * Lets a {@link #pause() paused} server go on. Does nothing when it is not paused.
	 */
	public synchronized void resume() {
		if (this.paused != null) {
			signal("CONT", this.paused);
			this.paused = null;
		}
	}

	/**
	 * Whether the server is {@link #pause() paused}.
	 * @return {@code true} between {@link #pause()} and {@link #resume()}
	 */
	public synchronized boolean isPaused() {
		return this.paused != null;
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
	 * The main process of the running embedded server; {@link #pause()} signals it and
	 * all its descendants.
	 * @return the server's process
	 * @throws IOException when the process cannot be found
	 */
	ProcessHandle process() throws IOException {
		throw new UnsupportedOperationException("The embedded " + this.name + " server cannot be paused");
	}

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
			resume();
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

	/**
	 * Sends a signal to processes with the {@code kill} command. A process that exited
	 * meanwhile (a backend closing its connection) is no failure: {@code kill} still
	 * signals all the others, and only a failure that no exit explains is reported.
	 */
	private void signal(String signal, List<ProcessHandle> processes) {
		if (processes.isEmpty()) {
			return;
		}
		List<String> command = new ArrayList<>(List.of("kill", "-" + signal));
		processes.forEach((process) -> command.add(Long.toString(process.pid())));
		io(() -> {
			Process kill = new ProcessBuilder(command).redirectErrorStream(true).start();
			try {
				if (!kill.waitFor(10, TimeUnit.SECONDS)) {
					kill.destroyForcibly();
					throw new IOException("'" + String.join(" ", command) + "' did not finish within 10s");
				}
				if (kill.exitValue() != 0 && processes.stream().allMatch(ProcessHandle::isAlive)) {
					String output = new String(kill.getInputStream().readAllBytes());
					throw new IOException("'" + String.join(" ", command) + "' failed: " + output.strip());
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IOException("Interrupted while signalling " + this.name, ex);
			}
		});
	}

	private ProcessHandle processOrFail() {
		ProcessHandle[] main = new ProcessHandle[1];
		io(() -> main[0] = process());
		return main[0];
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
