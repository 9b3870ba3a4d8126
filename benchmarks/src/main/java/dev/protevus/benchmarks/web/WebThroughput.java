package dev.protevus.benchmarks.web;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import dev.protevus.benchmarks.report.ResultLine;
import dev.protevus.benchmarks.webcache.HotKeyServer;
import io.netty.handler.codec.http.HttpHeaderNames;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/**
 * Loads {@link JsonServer} over HTTP in several variants side by side and prints each
 * one's throughput and its ratio to the bare application. Each variant is a server
 * process of its own, with its own class path:
 * <ul>
 * <li>{@code bare}: a Boot application with spring-boot-starter-webflux and
 * spring-boot-starter-actuator only (the class path of the {@code benchmarks/web-bare}
 * module);</li>
 * <li>{@code starter}: the same application with protevus-spring-boot-starter and
 * r2dbc-postgresql (the class path of the {@code benchmarks/web-starter} module), with
 * Protevus's defaults;</li>
 * <li>{@code spring-starters}: a Boot application with the Spring starters that the
 * Protevus starter brings (webflux, data-r2dbc, data-redis-reactive, cache, actuator) and
 * r2dbc-postgresql, but not Protevus (the class path of the
 * {@code benchmarks/web-spring-starters} module): what the issue's goal compares
 * with;</li>
 * <li>{@code starter-off}: that class path with {@code protevus.enabled=false}: the cost
 * of what the starter puts on the class path;</li>
 * <li>further variants, chosen with {@code --apps}, that switch one part off at a time
 * (see {@link #VARIANTS}), to measure each part's own cost.</li>
 * </ul>
 * The servers are pinned to one core and the load generator to the other with
 * {@code taskset}, when the machine has two or more. The load comes from {@code wrk} (one
 * thread) when it is installed, otherwise from a Reactor Netty client in this process: a
 * fixed number of keep-alive connections, each with one request in flight at a time.
 * Every server is warmed up in turn, then one unreported round goes through all of them,
 * then the measured rounds, the order rotating from round to round so that each sees the
 * same machine; the result is each one's median round. With {@code --forks N} each app
 * runs in N JVMs, each warmed up and measured in the rounds, and its figures pool the
 * rounds of all of them: two JVMs of the same app, side by side, can differ by several
 * percent for the whole of their lives (the JIT's choices differ from one start to the
 * next), which one JVM per app would show as a difference between the apps.
 * <p>
 * Build with {@code ./mvnw -q package -DskipTests -pl benchmarks}, then run with
 * {@code java -cp benchmarks/target/benchmarks.jar dev.protevus.benchmarks.web.WebThroughput}
 * and, optionally,
 * {@code --apps bare,spring-starters,starter,starter-off --baseline spring-starters --connections 64 --warmup 60
 * --seconds 8 --rounds 5 --forks 1 --client wrk|netty --jfr target/jfr}.
 *
 * @since 0.1.0
 */
public final class WebThroughput {

	private static final String PATH = "/books/1";

	private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

	private static final String DATA_AUTO_CONFIGURATION = "dev.protevus.boot.autoconfigure.data.DataAutoConfiguration";

	/**
	 * The jars that make WebFlux register its JAXB codecs, left out by the {@code -noxml}
	 * variants.
	 */
	private static final List<String> XML_JARS = List.of("jakarta.xml.bind-api", "jakarta.activation-api",
			"spring-oxm");

	/**
	 * The variants by name: which class path, what it leaves out of it, its arguments and
	 * whether its answers carry an ETag.
	 */
	static final Map<String, Variant> VARIANTS = variants();

	private static final List<String> DEFAULT_APPS = List.of("bare", "spring-starters", "starter", "starter-off");

	private WebThroughput() {
	}

	private static Map<String, Variant> variants() {
		Map<String, Variant> variants = new LinkedHashMap<>();
		add(variants,
				new Variant("bare", "web-bare", List.of(), List.of(), false, "webflux + actuator only, no Protevus"));
		add(variants, new Variant("spring-starters", "web-spring-starters", List.of(), List.of(), false,
				"the Spring starters that the Protevus starter brings, and r2dbc-postgresql, no Protevus"));
		add(variants, new Variant("starter", "web-starter", List.of(), List.of(), false,
				"protevus-spring-boot-starter + r2dbc-postgresql, defaults"));
		add(variants, new Variant("starter-off", "web-starter", List.of(), List.of("--protevus.enabled=false"), false,
				"the starter's class path, protevus.enabled=false"));
		add(variants, new Variant("starter-off-noxml", "web-starter", XML_JARS, List.of("--protevus.enabled=false"),
				false, "starter-off without the JAXB API that spring-data-redis brings through spring-oxm"));
		add(variants, new Variant("starter-off-nor4j", "web-starter", List.of("resilience4j-"),
				List.of("--protevus.enabled=false"), false, "starter-off without resilience4j's jars"));
		add(variants, new Variant("starter-off-nocaffeine", "web-starter", List.of("caffeine-"),
				List.of("--protevus.enabled=false"), false, "starter-off without Caffeine"));
		add(variants, new Variant("starter-noxml", "web-starter", XML_JARS, List.of(), false,
				"starter without the JAXB API that spring-data-redis brings through spring-oxm"));
		add(variants, new Variant("etag", "web-starter", List.of(), List.of("--protevus.web.etag=true"), true,
				"starter, protevus.web.etag=true"));
		add(variants, new Variant("timeout", "web-starter", List.of(), List.of("--protevus.web.request-timeout=10s"),
				false, "starter, plus the request time bound: protevus.web.request-timeout=10s"));
		add(variants,
				new Variant("no-problems", "web-starter", List.of(), List.of("--protevus.web.problems.enabled=false"),
						false, "starter, protevus.web.problems.enabled=false"));
		add(variants,
				new Variant("no-scope", "web-starter", List.of(),
						List.of("--spring.autoconfigure.exclude=" + DATA_AUTO_CONFIGURATION), false,
						"starter without Protevus's data auto-configuration"));
		add(variants, new Variant("scope", "web-starter", List.of(), List.of("--protevus.data.n-plus-one=warn"), false,
				"starter, protevus.data.n-plus-one=warn (N+1 detection and its StatementScopeWebFilter on)"));
		add(variants,
				new Variant("no-lag", "web-starter", List.of(),
						List.of("--protevus.async.event-loop-lag.enabled=false"), false,
						"starter, protevus.async.event-loop-lag.enabled=false"));
		add(variants, new Variant("no-scaling", "web-starter", List.of(), List.of("--protevus.scaling.enabled=false"),
				false, "starter, protevus.scaling.enabled=false (no request latency handler)"));
		add(variants,
				new Variant("no-web", "web-starter", List.of(),
						List.of("--protevus.web.etag=false", "--protevus.web.problems.enabled=false"), false,
						"starter with every Protevus web filter and the problem handler off"));
		add(variants, new Variant("in-flight", "web-starter", List.of(), List.of("--protevus.web.max-in-flight=10000"),
				false, "starter, plus load shedding above 10000 requests in flight"));
		add(variants,
				new Variant("rate-limit", "web-starter", List.of(),
						List.of("--protevus.web.rate-limit.enabled=true",
								"--protevus.web.rate-limit.limit-for-period=100000000"),
						false, "starter, plus a per-client rate limit far above the load"));
		// A hot key read through Spring's cache abstraction over HTTP; ${redis} is the
		// URL
		// of -Dredis.url.
		add(variants, new Variant("hotkey-tiered", "web-starter", List.of(),
				List.of("--protevus.cache.tiers=memory,redis", "--spring.data.redis.url=${redis}",
						"--protevus.cache.key-prefix=bench:hotkey-tiered:", "--protevus.cache.default-ttl=10m"),
				false, "hot key through @Cacheable, the starter's tiered cache (memory, Redis)", HotKeyServer.class));
		add(variants, new Variant("hotkey-redis", "web-spring-starters", List.of(),
				List.of("--spring.cache.type=redis", "--spring.data.redis.url=${redis}",
						"--spring.cache.redis.key-prefix=bench:hotkey-redis:", "--spring.cache.redis.time-to-live=10m"),
				false, "hot key through @Cacheable, Spring Boot's RedisCacheManager, no Protevus", HotKeyServer.class));
		add(variants,
				new Variant("hotkey-simple", "web-spring-starters", List.of(), List.of("--spring.cache.type=simple"),
						false, "hot key through @Cacheable, Spring's ConcurrentMapCacheManager, no Protevus",
						HotKeyServer.class));
		return variants;
	}

	private static void add(Map<String, Variant> variants, Variant variant) {
		variants.put(variant.name, variant);
	}

	public static void main(String[] args) throws Exception {
		Options options = Options.parse(args);
		Path jar = Path.of(WebThroughput.class.getProtectionDomain().getCodeSource().getLocation().toURI());
		Path benchmarks = jar.toAbsolutePath().getParent().getParent();
		Load load = options.client.equals("wrk") ? new WrkLoad(options) : new NettyLoad(options);
		List<Server> servers = new ArrayList<>();
		try {
			System.out.printf(Locale.ROOT, "%s, %d processors, load %s; client %s%s, servers on %s%n", Instant.now(),
					Runtime.getRuntime().availableProcessors(), loadAverage(), options.client,
					(options.clientCpus != null) ? " on CPU " + options.clientCpus : "",
					(options.serverCpus != null) ? "CPU " + options.serverCpus : "any CPU");
			for (String app : options.apps) {
				Variant variant = VARIANTS.get(app);
				if (variant == null) {
					throw new IllegalArgumentException("Unknown app " + app + "; known: " + VARIANTS.keySet());
				}
				for (int fork = 0; fork < options.forks; fork++) {
					servers
						.add(Server.start(variant, fork, options.forks, classPath(benchmarks, variant), jar, options));
				}
			}
			for (Server server : servers) {
				server.await(load);
				server.check(load);
			}
			for (Server server : servers) {
				System.out.printf(Locale.ROOT, "warm-up %s (%ds): %.0f requests/s%n", server.label(), options.warmup,
						load.run(server, options.warmup).rate());
			}
			// On 2026-12-04 a server left idle while the others warmed up came back to
			// the first round at half its warm speed or less, so one round goes
			// unreported.
			for (Server server : servers) {
				load.run(server, options.seconds);
			}
			if (options.jfr != null) {
				Files.createDirectories(options.jfr);
				int seconds = options.rounds * options.seconds * servers.size() + 10;
				for (Server server : servers) {
					server.record(options.jfr.resolve(server.label().replace('#', '-') + ".jfr"), seconds);
				}
			}
			double[][] rounds = new double[servers.size()][options.rounds];
			double[][] cpu = new double[servers.size()][options.rounds];
			double[][] allocated = new double[servers.size()][options.rounds];
			for (int round = 0; round < options.rounds; round++) {
				StringBuilder line = new StringBuilder("round " + (round + 1) + ":");
				for (int i = 0; i < servers.size(); i++) {
					int index = (i + round) % servers.size();
					Server server = servers.get(index);
					long allocatedBefore = server.allocated(load);
					long cpuBefore = server.cpuNanos();
					Result result = load.run(server, options.seconds);
					rounds[index][round] = result.rate();
					cpu[index][round] = (server.cpuNanos() - cpuBefore) / 1e3 / result.requests();
					long allocatedAfter = server.allocated(load);
					allocated[index][round] = (allocatedBefore < 0 || allocatedAfter < 0) ? Double.NaN
							: (allocatedAfter - allocatedBefore) / (double) result.requests();
					line.append(String.format(Locale.ROOT, " %s %.0f (%.1f us, %.0f B)", server.label(),
							rounds[index][round], cpu[index][round], allocated[index][round]));
				}
				System.out.println(line);
			}
			// Each app's medians pool the rounds of all its JVMs; its paired ratio
			// compares, round by round, the mean of its JVMs with the mean of the
			// baseline's, so that no JVM's luck is laid on one other JVM's.
			double[] bare = pooled(rounds, servers, options.baseline);
			double[] bareByRound = roundMeans(rounds, servers, options.baseline);
			double[] bareCpu = pooled(cpu, servers, options.baseline);
			double[] bareAllocated = pooled(allocated, servers, options.baseline);
			System.out.printf(Locale.ROOT, "%nmedian of %d rounds of %d s%s, %d connections, %d s warm-up, load %s:%n",
					options.rounds, options.seconds,
					(options.forks > 1) ? " in each of " + options.forks + " JVMs per app" : "", options.connections,
					options.warmup, loadAverage());
			String versus = "vs " + options.baseline;
			System.out.printf(Locale.ROOT, "| %-18s | %10s | %7s | %7s | %14s | %7s | %13s | %7s | %s |%n", "app",
					"requests/s", versus, "paired", "server CPU/req", versus, "allocated/req", "vs base", "what");
			Map<String, Object> apps = new LinkedHashMap<>();
			for (String app : options.apps) {
				Variant variant = VARIANTS.get(app);
				double[] appRounds = pooled(rounds, servers, app);
				double[] appCpu = pooled(cpu, servers, app);
				double[] appAllocated = pooled(allocated, servers, app);
				printRow(app, appRounds, appCpu, appAllocated, bare, bareCpu, bareAllocated,
						pairedRatio(roundMeans(rounds, servers, app), bareByRound), variant.description);
				for (int i = 0; options.forks > 1 && i < servers.size(); i++) {
					Server server = servers.get(i);
					if (server.variant == variant) {
						printRow(server.label(), rounds[i], cpu[i], allocated[i], bare, bareCpu, bareAllocated,
								pairedRatio(rounds[i], bareByRound), "its JVM " + (server.fork + 1) + " alone");
					}
				}
				apps.put(app,
						Map.of("description", variant.description, "requestsPerSecond", appRounds,
								"cpuMicrosPerRequest", appCpu, "bytesAllocatedPerRequest", appAllocated, "forks",
								options.forks));
			}
			System.out.println("paired: the median over rounds of each round's ratio to the baseline, measured next to"
					+ " it in time, so that the machine's drift between rounds cancels out (with --forks, the mean of"
					+ " the app's JVMs in the round against the mean of the baseline's)");
			System.out.println("allocated/req: bytes the server's threads allocated per request (GET /allocated"
					+ " before and after each round), which depends far less on the machine's speed; vs base: its"
					+ " difference to the baseline's");
			ResultLine.print("web",
					Map.of("baseline", options.baseline, "client", options.client, "connections", options.connections,
							"warmupSeconds", options.warmup, "seconds", options.seconds, "forks", options.forks, "apps",
							apps));
		}
		finally {
			load.close();
			for (Server server : servers) {
				server.stop();
			}
		}
	}

	/**
	 * The variant's class path: the dependencies its module wrote at build time, less the
	 * left-out jars, then this module's classes.
	 */
	private static String classPath(Path benchmarks, Variant variant) throws IOException {
		Path file = benchmarks.resolve(variant.module).resolve("target/classpath.txt");
		if (!Files.isRegularFile(file)) {
			throw new IllegalStateException(file + " is missing: build with ./mvnw package -DskipTests -pl benchmarks");
		}
		String dependencies = Files.readString(file, StandardCharsets.UTF_8).trim();
		String kept = Arrays.stream(dependencies.split(File.pathSeparator))
			.filter((entry) -> variant.leftOut.stream()
				.noneMatch((name) -> Path.of(entry).getFileName().toString().startsWith(name)))
			.collect(Collectors.joining(File.pathSeparator));
		return kept + File.pathSeparator + benchmarks.resolve("target/classes");
	}

	private static String loadAverage() {
		try {
			return Files.readString(Path.of("/proc/loadavg")).trim();
		}
		catch (IOException ex) {
			return "unknown";
		}
	}

	/**
	 * One row of the table: medians, their ratios to the baseline's medians, and the
	 * paired ratio.
	 */
	private static void printRow(String name, double[] rates, double[] cpu, double[] allocated, double[] base,
			double[] baseCpu, double[] baseAllocated, double paired, String what) {
		double median = median(rates);
		double medianCpu = median(cpu);
		double medianAllocated = median(allocated);
		System.out.printf(Locale.ROOT,
				"| %-18s | %10.0f | %7.3f | %7.3f | %11.1f us | %7.3f | %11.0f B | %+7.0f | %s |%n", name, median,
				median / median(base), paired, medianCpu, median(baseCpu) / medianCpu, medianAllocated,
				medianAllocated - median(baseAllocated), what);
	}

	/**
	 * The rounds of every JVM of the app, one JVM after the other.
	 */
	private static double[] pooled(double[][] perServer, List<Server> servers, String app) {
		List<double[]> ofApp = new ArrayList<>();
		for (int i = 0; i < servers.size(); i++) {
			if (servers.get(i).variant.name.equals(app)) {
				ofApp.add(perServer[i]);
			}
		}
		return ofApp.stream().flatMapToDouble(Arrays::stream).toArray();
	}

	/**
	 * Each round's mean over every JVM of the app.
	 */
	private static double[] roundMeans(double[][] perServer, List<Server> servers, String app) {
		double[] means = new double[perServer[0].length];
		int jvms = 0;
		for (int i = 0; i < servers.size(); i++) {
			if (servers.get(i).variant.name.equals(app)) {
				jvms++;
				for (int round = 0; round < means.length; round++) {
					means[round] += perServer[i][round];
				}
			}
		}
		for (int round = 0; round < means.length; round++) {
			means[round] /= jvms;
		}
		return means;
	}

	/**
	 * The median of the per-round ratios: within a round the two were measured one right
	 * after the other, so a machine whose speed drifts from round to round changes both
	 * alike.
	 */
	static double pairedRatio(double[] rates, double[] baseline) {
		double[] ratios = new double[rates.length];
		for (int round = 0; round < rates.length; round++) {
			ratios[round] = rates[round] / baseline[round];
		}
		return median(ratios);
	}

	private static double median(double[] values) {
		double[] sorted = values.clone();
		Arrays.sort(sorted);
		int middle = sorted.length / 2;
		return (sorted.length % 2 == 1) ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
	}

	private static List<String> pinned(String cpus, List<String> command) {
		if (cpus == null) {
			return command;
		}
		List<String> pinned = new ArrayList<>(List.of("taskset", "-c", cpus));
		pinned.addAll(command);
		return pinned;
	}

	/**
	 * One server variant.
	 *
	 * @param name its name
	 * @param module the module whose {@code target/classpath.txt} it runs on
	 * @param leftOut prefixes of jar file names left out of that class path
	 * @param arguments its application arguments
	 * @param etag whether its answers carry an ETag
	 * @param description what it is
	 * @param server its main class: {@link JsonServer}, or {@link HotKeyServer} for the
	 * hot-key variants
	 */
	record Variant(String name, String module, List<String> leftOut, List<String> arguments, boolean etag,
			String description, Class<?> server) {

		Variant(String name, String module, List<String> leftOut, List<String> arguments, boolean etag,
				String description) {
			this(name, module, leftOut, arguments, etag, description, JsonServer.class);
		}

	}

	/**
	 * What one load run achieved.
	 *
	 * @param rate completed requests per second
	 * @param requests completed requests
	 */
	private record Result(double rate, long requests) {
	}

	private record Options(List<String> apps, String baseline, int connections, int warmup, int seconds, int rounds,
			int forks, String client, String clientCpus, String serverCpus, Path jfr) {

		static Options parse(String[] args) {
			List<String> apps = DEFAULT_APPS;
			String baseline = "bare";
			int connections = 64;
			int warmup = 60;
			int seconds = 8;
			int rounds = 5;
			int forks = 1;
			String client = onPath("wrk") ? "wrk" : "netty";
			boolean pin = Runtime.getRuntime().availableProcessors() >= 2 && onPath("taskset");
			String clientCpus = pin ? "0" : null;
			String serverCpus = pin ? "1" : null;
			Path jfr = null;
			for (int i = 0; i + 1 < args.length; i += 2) {
				String value = args[i + 1];
				switch (args[i]) {
					case "--apps" -> apps = List.of(value.split(","));
					case "--baseline" -> baseline = value;
					case "--connections" -> connections = Integer.parseInt(value);
					case "--warmup" -> warmup = Integer.parseInt(value);
					case "--seconds" -> seconds = Integer.parseInt(value);
					case "--rounds" -> rounds = Integer.parseInt(value);
					case "--forks" -> forks = Integer.parseInt(value);
					case "--client" -> client = value;
					case "--client-cpus" -> clientCpus = value.equals("any") ? null : value;
					case "--server-cpus" -> serverCpus = value.equals("any") ? null : value;
					case "--jfr" -> jfr = Path.of(value).toAbsolutePath();
					default -> throw new IllegalArgumentException("Unknown option " + args[i]);
				}
			}
			if (!client.equals("wrk") && !client.equals("netty")) {
				throw new IllegalArgumentException("--client is wrk or netty, not " + client);
			}
			if (apps.size() != Set.copyOf(apps).size()) {
				throw new IllegalArgumentException(
						"--apps " + apps + " names an app twice; --forks runs more JVMs of each");
			}
			if (forks < 1) {
				throw new IllegalArgumentException("--forks is 1 or more, not " + forks);
			}
			if (!apps.contains(baseline)) {
				throw new IllegalArgumentException("--baseline " + baseline + " is not one of --apps " + apps);
			}
			return new Options(apps, baseline, connections, warmup, seconds, rounds, forks, client, clientCpus,
					serverCpus, jfr);
		}

		private static boolean onPath(String command) {
			String path = System.getenv("PATH");
			return path != null && Arrays.stream(path.split(File.pathSeparator))
				.anyMatch((directory) -> Files.isExecutable(Path.of(directory, command)));
		}

	}

	/**
	 * Sends load to one server and returns the completed requests per second; any answer
	 * other than 200, or a socket error, fails the run, so that a fast error can never
	 * pass for throughput.
	 */
	private interface Load extends AutoCloseable {

		Result run(Server server, int seconds);

		/**
		 * One request, for the start-up checks: its status and the named header.
		 */
		Mono<String[]> get(Server server, String path, String header);

		@Override
		void close();

	}

	/**
	 * {@code wrk} with one thread, pinned to the client's CPUs.
	 */
	private static final class WrkLoad extends NettyLoad {

		private static final Pattern RATE = Pattern.compile("Requests/sec:\\s+([0-9.]+)");

		private static final Pattern REQUESTS = Pattern.compile("([0-9]+) requests in");

		private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses:.*");

		private static final Pattern SOCKET_ERRORS = Pattern.compile("Socket errors:.*");

		WrkLoad(Options options) {
			super(options);
		}

		@Override
		public Result run(Server server, int seconds) {
			List<String> command = pinned(this.options.clientCpus(), List.of("wrk", "-t1",
					"-c" + this.options.connections(), "-d" + seconds + "s", "--timeout", "10s", server.url(PATH)));
			try {
				Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
				String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
				process.waitFor();
				Matcher rate = RATE.matcher(output);
				if (process.exitValue() != 0 || NON_2XX.matcher(output).find() || !rate.find()) {
					throw new IllegalStateException(server.label() + ": wrk failed:\n" + output);
				}
				Matcher socketErrors = SOCKET_ERRORS.matcher(output);
				if (socketErrors.find()) {
					System.out.printf(Locale.ROOT, "%s: wrk %s%n", server.label(), socketErrors.group());
				}
				Matcher requests = REQUESTS.matcher(output);
				if (!requests.find()) {
					throw new IllegalStateException(server.label() + ": wrk failed:\n" + output);
				}
				return new Result(Double.parseDouble(rate.group(1)), Long.parseLong(requests.group(1)));
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}

	}

	/**
	 * A Reactor Netty client on one event loop of this process: a fixed number of
	 * keep-alive connections, each with one request in flight at a time. Pin this process
	 * with {@code taskset} to measure with it.
	 */
	private static class NettyLoad implements Load {

		final Options options;

		private final LoopResources loops = LoopResources.create("load", 1, true);

		private final ConnectionProvider connections;

		private final HttpClient client;

		NettyLoad(Options options) {
			this.options = options;
			this.connections = ConnectionProvider.builder("load")
				.maxConnections(options.connections())
				.pendingAcquireMaxCount(-1)
				.build();
			this.client = HttpClient.create(this.connections).runOn(this.loops);
		}

		@Override
		public Result run(Server server, int seconds) {
			AtomicLong completed = new AtomicLong();
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
			long start = System.nanoTime();
			Flux.range(0, this.options.connections())
				.flatMap((connection) -> get(server, PATH, "").repeat(() -> System.nanoTime() < deadline)
					.doOnNext((answer) -> {
						if (!answer[0].equals("200")) {
							throw new IllegalStateException(server.label() + " answered " + answer[0]);
						}
						completed.incrementAndGet();
					}), this.options.connections())
				.blockLast(Duration.ofSeconds(seconds + 60L));
			return new Result(completed.get() / ((System.nanoTime() - start) / 1e9), completed.get());
		}

		@Override
		public Mono<String[]> get(Server server, String path, String header) {
			return this.client.get()
				.uri(server.url(path))
				.responseSingle((response, body) -> body.asString()
					.defaultIfEmpty("")
					.map((text) -> new String[] { String.valueOf(response.status().code()),
							header.isEmpty() ? "" : response.responseHeaders().get(header, ""), text }));
		}

		@Override
		public void close() {
			this.connections.disposeLater().block(Duration.ofSeconds(10));
			this.loops.disposeLater().block(Duration.ofSeconds(10));
		}

	}

	/**
	 * A {@link JsonServer} process on a free port, its output in
	 * {@code target/<name>-server.log}.
	 */
	private record Server(Variant variant, int fork, int forks, int port, Process process) {

		static Server start(Variant variant, int fork, int forks, String classPath, Path jar, Options options)
				throws IOException, URISyntaxException {
			int port;
			try (ServerSocket socket = new ServerSocket(0)) {
				port = socket.getLocalPort();
			}
			List<String> command = new ArrayList<>(List.of(
					Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xms256m", "-Xmx256m", "-cp",
					classPath, variant.server.getName(), "--server.port=" + port, "--spring.main.banner-mode=off"));
			String redis = System.getProperty("redis.url", "redis://127.0.0.1:6379");
			variant.arguments.forEach((argument) -> command.add(argument.replace("${redis}", redis)));
			File log = jar.resolveSibling(label(variant, fork, forks).replace('#', '-') + "-server.log").toFile();
			Process process = new ProcessBuilder(pinned(options.serverCpus(), command)).redirectErrorStream(true)
				.redirectOutput(log)
				.start();
			return new Server(variant, fork, forks, port, process);
		}

		/**
		 * Its name in the output: the app's, and which of its JVMs when there are more.
		 */
		String label() {
			return label(this.variant, this.fork, this.forks);
		}

		private static String label(Variant variant, int fork, int forks) {
			return (forks > 1) ? variant.name + "#" + (fork + 1) : variant.name;
		}

		String url(String path) {
			return "http://127.0.0.1:" + this.port + path;
		}

		/**
		 * Waits until the server answers, or fails if its process ends first.
		 */
		void await(Load load) {
			long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
			while (System.nanoTime() < deadline) {
				if (!this.process.isAlive()) {
					throw new IllegalStateException(label() + " server exited; see its log next to the jar");
				}
				String[] answer = load.get(this, PATH, "")
					.timeout(Duration.ofSeconds(10))
					.onErrorResume((ex) -> Mono.empty())
					.block();
				if (answer != null && answer[0].equals("200")) {
					return;
				}
				Mono.delay(Duration.ofMillis(200)).block();
			}
			throw new IllegalStateException(label() + " server did not answer within " + START_TIMEOUT);
		}

		/**
		 * Prints what the server runs and fails unless its ETag and class path are what
		 * the variant says, so that a run cannot compare the wrong servers.
		 */
		void check(Load load) {
			String[] answer = load.get(this, PATH, HttpHeaderNames.ETAG.toString()).block(Duration.ofSeconds(30));
			String[] about = load.get(this, "/about", "").block(Duration.ofSeconds(30));
			System.out.printf(Locale.ROOT, "%s (pid %d): %s%n", label(), this.process.pid(), about[2]);
			boolean tagged = !answer[1].isEmpty();
			if (tagged != this.variant.etag) {
				throw new IllegalStateException(label() + (tagged ? " sent ETag " + answer[1] : " sent no ETag"));
			}
			boolean protevus = about[2].contains("\"protevus\":true");
			boolean prometheus = about[2].contains("\"prometheus\":true");
			// Neither class path brings a metrics backend: both record in Boot's simple
			// registry.
			if (protevus != this.variant.module.equals("web-starter") || prometheus) {
				throw new IllegalStateException(label() + " runs the wrong class path: " + about[2]);
			}
		}

		/**
		 * Bytes the server's live threads have allocated so far, or -1 if it cannot tell
		 * (a server without {@code GET /allocated}). Called from the benchmark's main
		 * thread between rounds, never from an event loop, so it may block.
		 */
		long allocated(Load load) {
			String[] answer = load.get(this, "/allocated", "")
				.timeout(Duration.ofSeconds(10))
				.onErrorResume((ex) -> Mono.empty())
				.block();
			if (answer == null || !answer[0].equals("200")) {
				return -1;
			}
			return Long.parseLong(answer[2].trim());
		}

		/**
		 * The CPU time the server's process has used so far, all threads, from
		 * {@code /proc}: a figure per request that a busy machine disturbs far less than
		 * throughput.
		 */
		long cpuNanos() {
			try {
				String stat = Files.readString(Path.of("/proc", String.valueOf(this.process.pid()), "stat"));
				String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
				// utime and stime, fields 14 and 15, in clock ticks of 10 ms.
				return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10_000_000L;
			}
			catch (IOException ex) {
				return 0;
			}
		}

		/**
		 * Starts a flight recording of the measured rounds.
		 */
		void record(Path file, int seconds) throws IOException, InterruptedException {
			Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
			Process process = new ProcessBuilder(jcmd.toString(), String.valueOf(this.process.pid()), "JFR.start",
					"settings=profile", "jdk.ExecutionSample#period=1ms", "duration=" + seconds + "s",
					"filename=" + file)
				.redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.start();
			process.waitFor();
		}

		void stop() throws InterruptedException {
			this.process.destroy();
			if (!this.process.waitFor(30, TimeUnit.SECONDS)) {
				this.process.destroyForcibly();
			}
		}

	}

}
