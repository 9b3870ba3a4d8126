package dev.protevus.benchmarks.web;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.handler.codec.http.HttpHeaderNames;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/**
 * Loads {@link JsonServer} over HTTP, once with Protevus's web layer on and once as bare
 * WebFlux, and prints each one's throughput and their ratio. Both servers run as
 * processes of their own, started here, while this process sends the load with a Reactor
 * Netty client: a fixed number of keep-alive connections, each with one request in flight
 * at a time. Rounds alternate between the two servers, so that both see the same machine;
 * the result is the median round of each.
 *
 * <p>
 * Run with
 * {@code java -cp benchmarks/target/benchmarks.jar dev.protevus.benchmarks.web.WebThroughput}
 * and, optionally, {@code --connections 64 --warmup 20 --seconds 10 --rounds 5}.
 *
 * @since 0.1.0
 */
public final class WebThroughput {

	private static final String PATH = "/books/1";

	private static final Duration START_TIMEOUT = Duration.ofMinutes(2);

	/**
	 * The Protevus side: the web layer with everything on that costs per request
	 * (weak ETags, problem handling, the request timeout and an in-flight limit above the
	 * load, so it counts without shedding) and the event-loop lag probe, which runs
	 * anyway.
	 */
	private static final List<String> PROTEVUS = List.of("--protevus.web.etag=true",
			"--protevus.web.request-timeout=10s", "--protevus.web.max-in-flight=10000");

	private static final List<String> BARE = List.of("--protevus.enabled=false");

	private WebThroughput() {
	}

	public static void main(String[] args) throws Exception {
		Options options = Options.parse(args);
		Server protevus = Server.start("protevus", PROTEVUS);
		Server bare = Server.start("bare", BARE);
		LoopResources loops = LoopResources.create("load", 1, true);
		ConnectionProvider connections = ConnectionProvider.builder("load")
			.maxConnections(options.connections)
			.pendingAcquireMaxCount(-1)
			.build();
		HttpClient client = HttpClient.create(connections).runOn(loops);
		try {
			protevus.await(client);
			bare.await(client);
			requireEtag(client, protevus, true);
			requireEtag(client, bare, false);
			for (Server server : List.of(protevus, bare)) {
				System.out.printf(Locale.ROOT, "warm-up %s: %.0f requests/s%n", server.name,
						load(client, server, options.connections, options.warmup));
			}
			double[] protevusRounds = new double[options.rounds];
			double[] bareRounds = new double[options.rounds];
			for (int round = 0; round < options.rounds; round++) {
				protevusRounds[round] = load(client, protevus, options.connections, options.seconds);
				bareRounds[round] = load(client, bare, options.connections, options.seconds);
				System.out.printf(Locale.ROOT, "round %d: protevus %.0f requests/s, bare %.0f requests/s%n", round + 1,
						protevusRounds[round], bareRounds[round]);
			}
			double protevusMedian = median(protevusRounds);
			double bareMedian = median(bareRounds);
			System.out.printf(Locale.ROOT,
					"median of %d rounds of %d s with %d connections: protevus %.0f requests/s, bare %.0f requests/s,"
							+ " ratio %.3f%n",
					options.rounds, options.seconds, options.connections, protevusMedian, bareMedian,
					protevusMedian / bareMedian);
		}
		finally {
			connections.disposeLater().block(Duration.ofSeconds(10));
			loops.disposeLater().block(Duration.ofSeconds(10));
			protevus.stop();
			bare.stop();
		}
	}

	/**
	 * Sends requests on every connection for the given time and returns the completed
	 * requests per second; any answer other than 200 fails the run, so that a fast error
	 * can never pass for throughput.
	 */
	private static double load(HttpClient client, Server server, int connections, int seconds) {
		AtomicLong completed = new AtomicLong();
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
		long start = System.nanoTime();
		Flux.range(0, connections)
			.flatMap((connection) -> request(client, server).repeat(() -> System.nanoTime() < deadline)
				.doOnNext((status) -> {
					if (status != 200) {
						throw new IllegalStateException(server.name + " answered " + status);
					}
					completed.incrementAndGet();
				}), connections)
			.blockLast(Duration.ofSeconds(seconds + 60L));
		return completed.get() / ((System.nanoTime() - start) / 1e9);
	}

	private static Mono<Integer> request(HttpClient client, Server server) {
		return client.get()
			.uri(server.url(PATH))
			.responseSingle((response, body) -> body.asByteArray()
				.map((bytes) -> response.status().code())
				.defaultIfEmpty(response.status().code()));
	}

	/**
	 * Fails unless the server's answer shows whether Protevus's layer is on, so that the
	 * run cannot compare two bare servers by mistake.
	 */
	private static void requireEtag(HttpClient client, Server server, boolean expected) {
		String etag = client.get()
			.uri(server.url(PATH))
			.response()
			.map((response) -> response.responseHeaders().get(HttpHeaderNames.ETAG, ""))
			.block(Duration.ofSeconds(30));
		if (expected == (etag == null || etag.isEmpty())) {
			throw new IllegalStateException(
					server.name + (expected ? " sent no ETag: is the Protevus web layer on?" : " sent ETag " + etag));
		}
	}

	private static double median(double[] values) {
		double[] sorted = values.clone();
		Arrays.sort(sorted);
		int middle = sorted.length / 2;
		return (sorted.length % 2 == 1) ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
	}

	private record Options(int connections, int warmup, int seconds, int rounds) {

		static Options parse(String[] args) {
			int connections = 64;
			int warmup = 20;
			int seconds = 10;
			int rounds = 5;
			for (int i = 0; i + 1 < args.length; i += 2) {
				int value = Integer.parseInt(args[i + 1]);
				switch (args[i]) {
					case "--connections" -> connections = value;
					case "--warmup" -> warmup = value;
					case "--seconds" -> seconds = value;
					case "--rounds" -> rounds = value;
					default -> throw new IllegalArgumentException("Unknown option " + args[i]);
				}
			}
			return new Options(connections, warmup, seconds, rounds);
		}

	}

	/**
	 * A {@link JsonServer} process on a free port, its output in
	 * {@code target/<name>-server.log}.
	 */
	private record Server(String name, int port, Process process) {

		static Server start(String name, List<String> arguments) throws IOException, URISyntaxException {
			int port;
			try (ServerSocket socket = new ServerSocket(0)) {
				port = socket.getLocalPort();
			}
			Path jar = Path.of(WebThroughput.class.getProtectionDomain().getCodeSource().getLocation().toURI());
			List<String> command = new ArrayList<>(
					List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xms256m", "-Xmx256m",
							"-cp", jar.toString(), JsonServer.class.getName(), "--server.port=" + port,
							"--spring.main.banner-mode=off"));
			command.addAll(arguments);
			File log = jar.resolveSibling(name + "-server.log").toFile();
			Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
			return new Server(name, port, process);
		}

		String url(String path) {
			return "http://127.0.0.1:" + this.port + path;
		}

		/**
		 * Waits until the server answers, or fails if its process ends first.
		 */
		void await(HttpClient client) {
			long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
			while (System.nanoTime() < deadline) {
				if (!this.process.isAlive()) {
					throw new IllegalStateException(this.name + " server exited; see its log next to the jar");
				}
				Integer status = request(client, this).onErrorResume((ex) -> Mono.empty())
					.block(Duration.ofSeconds(10));
				if (status != null && status == 200) {
					return;
				}
				Mono.delay(Duration.ofMillis(200)).block();
			}
			throw new IllegalStateException(this.name + " server did not answer within " + START_TIMEOUT);
		}

		void stop() throws InterruptedException {
			this.process.destroy();
			if (!this.process.waitFor(30, TimeUnit.SECONDS)) {
				this.process.destroyForcibly();
			}
		}

	}

}
