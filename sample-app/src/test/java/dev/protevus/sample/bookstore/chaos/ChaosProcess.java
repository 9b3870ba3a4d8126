package dev.protevus.sample.bookstore.chaos;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.protevus.sample.bookstore.BookstoreApplication;

import static org.awaitility.Awaitility.await;

/**
 * An instance of the sample in a JVM of its own, on the test's class path, so that it can
 * be killed ({@code SIGKILL}) as a crashed process would die: no shutdown hook, no
 * graceful stop, no acknowledgement sent on its way out.
 */
final class ChaosProcess implements AutoCloseable {

	private final Process process;

	private final int port;

	private ChaosProcess(Process process, int port) {
		this.process = process;
		this.port = port;
	}

	/**
	 * Starts the sample with the same arguments as {@link ChaosInstances} and waits until
	 * it is ready.
	 */
	static ChaosProcess start(String name, List<String> arguments) {
		int port = freePort();
		List<String> command = new ArrayList<>(
				List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx384m", "-XX:TieredStopAtLevel=1",
						"-cp", System.getProperty("java.class.path"), BookstoreApplication.class.getName()));
		command.addAll(arguments);
		command.add("--server.port=" + port);
		try {
			Files.createDirectories(ChaosReport.DIRECTORY);
			File log = ChaosReport.DIRECTORY.resolve(name + ".log").toFile();
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.to(log))
				.start();
			ChaosProcess started = new ChaosProcess(process, port);
			try {
				await().atMost(Duration.ofMinutes(3))
					.pollInterval(Duration.ofMillis(200))
					.until(() -> !process.isAlive()
							|| ChaosHttp.get(started.url() + "/actuator/health/readiness").status() == 200);
				if (!process.isAlive()) {
					throw new IllegalStateException("The sample's process ended at start-up; see " + log);
				}
			}
			catch (RuntimeException ex) {
				started.close();
				throw ex;
			}
			return started;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	String url() {
		return "http://127.0.0.1:" + this.port;
	}

	/**
	 * Kills the process with {@code SIGKILL} and waits until it is gone.
	 */
	void kill() {
		this.process.destroyForcibly();
		await().atMost(Duration.ofSeconds(30)).until(() -> !this.process.isAlive());
	}

	@Override
	public void close() {
		if (this.process.isAlive()) {
			kill();
		}
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
