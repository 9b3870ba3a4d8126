package dev.protevus.benchmarks.report;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.springframework.lang.Nullable;

/**
 * Writes {@code docs/performance.md} from one run of {@code benchmarks/run.sh}: the prose
 * of {@code performance/performance.md} (a resource of this module) with every figure
 * table, the list of missed goals and the charts generated from the run's raw results.
 * <p>
 * It reads, from the run's directory: JMH's JSON results ({@code -rf json}), the
 * {@link ResultLine}s the main programs printed (saved as {@code <family>.txt}), the
 * outputs of {@code redis-benchmark} and {@code pgbench}, {@code run.properties} (when,
 * where and how the run ran), {@code commands.tsv} (every command, by family) and
 * {@code notes.tsv} (what was skipped, and why). Every row puts Protevus beside its
 * anchor in the same run: the median and the spread (lowest to highest) of each side's
 * rounds (JMH's measured iterations over all forks, or the program's rounds), the ratio
 * of the medians, the goal and whether the ratio meets it, and the command. A row whose
 * results are missing says so and why. With gnuplot on the path it also writes one PNG
 * chart per family next to the report.
 * <p>
 * Run with {@code java -cp benchmarks/target/benchmarks.jar
 * dev.protevus.benchmarks.report.PerformanceReport <run directory> <report file>}; the
 * charts go to a {@code performance} directory beside the report.
 *
 * @since 0.1.0
 */
public final class PerformanceReport {

	private static final ObjectMapper JSON = new ObjectMapper();

	private static final String TEMPLATE = "performance/performance.md";

	private static final String LIMITS = "performance/limits.md";

	private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([a-z-]+)(?::([a-z-]+))?}}");

	private final Path run;

	private final Properties properties = new Properties();

	private final Map<String, List<String>> commands = new LinkedHashMap<>();

	private final Map<String, String> notes = new LinkedHashMap<>();

	private final Map<String, String> limits;

	private final List<Row> rows = new ArrayList<>();

	private PerformanceReport(Path run) throws IOException {
		this.run = run;
		Path runProperties = run.resolve("run.properties");
		if (Files.isRegularFile(runProperties)) {
			try (InputStream in = Files.newInputStream(runProperties)) {
				this.properties.load(in);
			}
		}
		for (String line : lines("commands.tsv")) {
			String[] parts = line.split("\t", 2);
			if (parts.length == 2) {
				this.commands.computeIfAbsent(parts[0], (family) -> new ArrayList<>()).add(parts[1]);
			}
		}
		for (String line : lines("notes.tsv")) {
			String[] parts = line.split("\t", 2);
			if (parts.length == 2) {
				this.notes.put(parts[0], parts[1]);
			}
		}
		this.limits = sections(resource(LIMITS));
	}

	public static void main(String[] args) throws Exception {
		if (args.length != 2) {
			System.err.println("usage: PerformanceReport <run directory> <report file>");
			System.exit(2);
		}
		Path report = Path.of(args[1]);
		PerformanceReport generator = new PerformanceReport(Path.of(args[0]));
		generator.collect();
		Path charts = report.toAbsolutePath().getParent().resolve("performance");
		String chartNote = generator.charts(charts);
		Files.writeString(report, generator.render(chartNote), StandardCharsets.UTF_8);
		System.out
			.println("wrote " + report + ((chartNote != null) ? " (" + chartNote + ")" : " and charts in " + charts));
	}

	// Rows

	private void collect() throws IOException {
		Jmh cache = jmh("cache.json");
		Jmh memcached = jmh("memcached.json");
		Jmh loads = jmh("data-loads.json");
		Jmh pool = jmh("data-pool.json");
		Jmh lazy = jmh("data-lazy.json");
		this.rows
			.add(jmhRow("cache", "memory-tier", "Memory-tier hit: `TieredCache.get` vs Spring's `CaffeineCacheManager`",
					"cache", cache, "MemoryTierBenchmark.protevus", "MemoryTierBenchmark.spring", null, Kind.THROUGHPUT,
					Goal.atLeast(0.9)));
		// The remote tiers' goal is judged on the alternating slices below: JMH measures
		// one side after the other, which a machine whose speed drifts reaches apart.
		this.rows.add(jmhRow("cache", "redis-tier",
				"Redis-tier hit: `TieredCache.retrieve` vs raw Lettuce `GET`, one after the other", "cache", cache,
				"RedisTierBenchmark.protevus", "RedisTierBenchmark.lettuce", null, Kind.THROUGHPUT, Goal.none()));
		this.rows.add(jmhRow("cache", "memcached-tier",
				"Memcached-tier hit: `TieredCache.retrieve` vs folsom's raw `get`, one after the other", "memcached",
				memcached, "MemcachedTierBenchmark.protevus", "MemcachedTierBenchmark.folsom", null, Kind.THROUGHPUT,
				Goal.none()));
		this.rows.add(pairedRow("redis",
				"Redis-tier hit in alternating slices: `TieredCache.retrieve` vs raw Lettuce `GET`", "cache-paired"));
		this.rows.add(pairedRow("memcached",
				"Memcached-tier hit in alternating slices: `TieredCache.retrieve` vs folsom's raw `get`",
				"memcached-paired"));
		this.rows.add(jmhRow("cache", "hot-key",
				"Hot key at the cache API: tiered (memory, Redis) vs `RedisCacheManager`", "cache", cache,
				"HotKeyBenchmark.protevus", "HotKeyBenchmark.spring", null, Kind.THROUGHPUT, Goal.atLeast(50)));
		Map<String, Object> web = result("web");
		this.rows.add(webRow("cache", "hot-key-http-redis",
				"Hot key over HTTP: tiered app vs a Redis-only `RedisCacheManager` app", web, "hotkey-tiered",
				"hotkey-redis", Goal.atLeast(1.2)));
		this.rows.add(webRow("cache", "hot-key-http-simple",
				"Hot key over HTTP: tiered app vs the same app on `spring.cache.type=simple`", web, "hotkey-tiered",
				"hotkey-simple", Goal.atLeast(0.9)));
		this.rows.add(ceilingRow("cache", "redis-ceiling",
				"Ceiling: Redis-tier hit vs Redis itself (`redis-benchmark -t get`, one connection)", "redis-ceiling",
				"GET", jmhFigure(cache, "RedisTierBenchmark.protevus", null), "ops/s"));
		for (String rtt : List.of("0", "500", "1000")) {
			String where = "rttMicros=" + rtt;
			String at = " at " + rtt(rtt);
			this.rows.add(jmhRow("data", "eager-join-" + rtt, "Eager load vs one `JOIN`" + at, "data-loads", loads,
					"EagerLoadBenchmark.protevus", "EagerLoadBenchmark.join", where, Kind.TIME, Goal.atMost(1.2)));
		}
		for (String rtt : List.of("0", "500", "1000")) {
			String where = "rttMicros=" + rtt;
			String at = " at " + rtt(rtt);
			this.rows.add(jmhRow("data", "eager-n-plus-one-" + rtt, "Eager load vs N+1" + at, "data-loads", loads,
					"EagerLoadBenchmark.protevus", "EagerLoadBenchmark.nPlusOne", where, Kind.SPEEDUP,
					rtt.equals("0") ? Goal.none() : Goal.atLeast(10)));
		}
		this.rows.add(jmhRow("data", "lazy-batched-500", "Lazy loads batched vs one statement per author at 0.5 ms",
				"data-lazy", lazy, "LazyLoadBenchmark.batched", "LazyLoadBenchmark.perAuthor", "rttMicros=500",
				Kind.SPEEDUP, Goal.none()));
		this.rows.add(jmhRow("data", "pool-unpooled", "Protevus pool vs a new connection per request (loopback)",
				"data-pool", pool, "PoolBenchmark.protevus", "PoolBenchmark.unpooled", "rttMicros=direct", Kind.SPEEDUP,
				Goal.atLeast(5)));
		this.rows.add(jmhRow("data", "raw-pool-unpooled", "Raw r2dbc-pool vs a new connection per request (loopback)",
				"data-pool", pool, "PoolBenchmark.pool", "PoolBenchmark.unpooled", "rttMicros=direct", Kind.SPEEDUP,
				Goal.atLeast(5)));
		this.rows.add(jmhRow("data", "pool-raw-pool", "Protevus pool vs raw r2dbc-pool (loopback)", "data-pool", pool,
				"PoolBenchmark.protevus", "PoolBenchmark.pool", "rttMicros=direct", Kind.SPEEDUP, Goal.atLeast(0.95)));
		this.rows.add(ceilingRow("data", "pg-ceiling", "Ceiling: PostgreSQL `pgbench -S`, one client (transactions/s)",
				"pg-ceiling", "tps", null, "tps"));
		this.rows.add(queueRow());
		this.rows.add(ceilingRow("queue", "xadd-ceiling",
				"Ceiling: Protevus jobs/s vs `redis-benchmark` bare `XADD`s, 16 clients", "queue-ceiling", "XADD",
				figure(result("queue"), "protevusJobsPerSecond", "jobs/s"), "jobs/s"));
		this.rows.add(loadBalancerRow());
		this.rows.add(webRow("web", "starter-overhead",
				"Starter overhead: trivial JSON endpoint, starter app vs a Boot app with the same Spring starters", web,
				"starter", "spring-starters", Goal.atLeast(0.95)));
		this.rows.add(webCpuRow(web));
		this.rows.add(webAllocationRow(web));
		this.rows.addAll(memoryRows());
	}

	private Row jmhRow(String family, String key, String title, String tag, @Nullable Jmh jmh, String protevus,
			String anchor, @Nullable String param, Kind kind, Goal goal) {
		String command = command(tag, "");
		String why = missing(tag, jmh);
		if (why != null) {
			return Row.notMeasured(family, key, title, goal, why, command);
		}
		Figure measured = jmhFigure(jmh, protevus, param);
		Figure baseline = jmhFigure(jmh, anchor, param);
		if (measured == null || baseline == null) {
			return Row.notMeasured(family, key, title, goal, "no result for " + ((measured == null) ? protevus : anchor)
					+ ((param != null) ? " " + param : "") + " in this run", command);
		}
		return new Row(family, key, title, measured, baseline, kind, goal, command, null, null);
	}

	private Row webRow(String family, String key, String title, @Nullable Map<String, Object> web, String app,
			String anchor, Goal goal) {
		String command = command("web", "");
		String why = (web != null) ? null : note("web", "the web benchmark did not run");
		if (why == null && (!apps(web).containsKey(app) || !apps(web).containsKey(anchor))) {
			why = "the web run had no `" + (apps(web).containsKey(app) ? anchor : app) + "` variant"
					+ (key.startsWith("hot-key-http") ? " (run.sh adds the hot-key apps when a Redis answers)" : "");
		}
		if (why != null) {
			return Row.notMeasured(family, key, title, goal, why, command);
		}
		return new Row(family, key, title, webFigure(web, app, "requestsPerSecond", "requests/s"),
				webFigure(web, anchor, "requestsPerSecond", "requests/s"), Kind.PAIRED_THROUGHPUT, goal, command, null,
				null);
	}

	private Row webCpuRow(@Nullable Map<String, Object> web) {
		String title = "Starter overhead in server CPU per request (the steadier figure on a shared machine)";
		String command = command("web", "");
		if (web == null || !apps(web).containsKey("starter") || !apps(web).containsKey("spring-starters")) {
			return Row.notMeasured("web", "starter-cpu", title, Goal.none(),
					note("web", "the web benchmark did not run"), command);
		}
		return new Row("web", "starter-cpu", title, webFigure(web, "starter", "cpuMicrosPerRequest", "µs"),
				webFigure(web, "spring-starters", "cpuMicrosPerRequest", "µs"), Kind.TIME, Goal.none(), command, null,
				null);
	}

	@SuppressWarnings("unchecked")
	private Row webAllocationRow(@Nullable Map<String, Object> web) {
		String title = "Starter overhead in bytes allocated per request (what the machine's speed changes least)";
		String command = command("web", "");
		String field = "bytesAllocatedPerRequest";
		if (web == null || !apps(web).containsKey("starter") || !apps(web).containsKey("spring-starters")
				|| !((Map<String, Object>) apps(web).get("starter")).containsKey(field)) {
			return Row.notMeasured("web", "starter-allocation", title, Goal.none(),
					note("web", "the web benchmark did not run or did not report allocations"), command);
		}
		return new Row("web", "starter-allocation", title, webFigure(web, "starter", field, "bytes"),
				webFigure(web, "spring-starters", field, "bytes"), Kind.TIME, Goal.none(), command, null, null);
	}

	/**
	 * A remote tier's hit against its raw client from {@code PairedTierHits}, whose sides
	 * alternate every slice so that the machine's drift reaches both alike.
	 */
	private Row pairedRow(String family, String title, String tag) {
		String command = command(tag, "");
		Map<String, Object> paired = result("paired-" + family);
		if (paired == null) {
			return Row.notMeasured("cache", family + "-tier-paired", title, Goal.atLeast(0.8),
					note(tag, "the paired benchmark did not run"), command);
		}
		String detail = String.format(Locale.ROOT, "JVM CPU per hit: Protevus %s µs, the raw client %s µs",
				number(((Number) paired.get("protevusCpuMicrosPerOp")).doubleValue()),
				number(((Number) paired.get("anchorCpuMicrosPerOp")).doubleValue()));
		return new Row("cache", family + "-tier-paired", title, figure(paired, "protevusOpsPerSecond", "ops/s"),
				figure(paired, "anchorOpsPerSecond", "ops/s"), Kind.PAIRED_THROUGHPUT, Goal.atLeast(0.8), command, null,
				detail);
	}

	private Row queueRow() {
		String title = "Queue: publish, consume, ack vs a raw Lettuce `XADD`/`XREADGROUP`/`XACK` loop";
		String command = command("queue", "");
		Map<String, Object> queue = result("queue");
		if (queue == null) {
			return Row.notMeasured("queue", "queue", title, Goal.atLeast(0.7),
					note("queue", "the queue benchmark did not run"), command);
		}
		Figure protevusP99 = figure(queue, "protevusP99Micros", "µs");
		Figure lettuceP99 = figure(queue, "lettuceP99Micros", "µs");
		String detail = String.format(Locale.ROOT, "p99 of whole jobs: Protevus %s µs, Lettuce %s µs",
				number(protevusP99.median()), number(lettuceP99.median()));
		return new Row("queue", "queue", title, figure(queue, "protevusJobsPerSecond", "jobs/s"),
				figure(queue, "lettuceJobsPerSecond", "jobs/s"), Kind.THROUGHPUT, Goal.atLeast(0.7), command, null,
				detail);
	}

	private Row loadBalancerRow() {
		String title = "Least-connections vs round-robin, p99 with one slow backend (open loop)";
		String command = command("loadbalancer", "");
		Map<String, Object> lb = result("loadbalancer");
		if (lb == null) {
			return Row.notMeasured("loadbalancer", "least-connections", title, Goal.atMost(0.5),
					note("loadbalancer", "the load-balancing benchmark did not run"), command);
		}
		return new Row("loadbalancer", "least-connections", title, strategyFigure(lb, "least-connections", "p99Millis"),
				strategyFigure(lb, "round-robin", "p99Millis"), Kind.TIME, Goal.atMost(0.5), command, null, null);
	}

	private List<Row> memoryRows() {
		List<Row> memory = new ArrayList<>();
		String entriesCommand = command("memory-entries", "");
		Map<String, Object> entries = result("memory-entries");
		String title = "Memory tier: heap per entry vs Spring's `CaffeineCacheManager` (keys and values excluded)";
		if (entries == null) {
			memory.add(Row.notMeasured("memory", "bytes-per-entry", title, Goal.none(),
					note("memory-entries", "the memory benchmark did not run"), entriesCommand));
		}
		else {
			memory.add(new Row("memory", "bytes-per-entry", title, figure(entries, "protevusBytesPerEntry", "bytes"),
					figure(entries, "springBytesPerEntry", "bytes"), Kind.TIME, Goal.none(), entriesCommand, null,
					"over " + number(((Number) entries.get("entries")).doubleValue()) + " entries"));
		}
		String appCommand = command("memory-sample-app", "");
		Map<String, Object> app = result("memory-sample-app");
		String heapTitle = "Sample app: heap used after warm-up and a full GC";
		String rssTitle = "Sample app: resident set (VmRSS) under load";
		if (app == null) {
			String why = note("memory-sample-app", "the sample app was not measured");
			memory.add(Row.notMeasured("memory", "sample-heap", heapTitle, Goal.none(), why, appCommand));
			memory.add(Row.notMeasured("memory", "sample-rss", rssTitle, Goal.none(), why, appCommand));
		}
		else {
			String load = String.format(Locale.ROOT,
					"after %s s of warm-up; rounds of %s s of `wrk` load at %s requests/s", app.get("warmupSeconds"),
					app.get("loadSeconds"), number(figure(app, "requestsPerSecond", "requests/s").median()));
			memory.add(new Row("memory", "sample-heap", heapTitle, figure(app, "heapUsedAfterGcMiB", "MiB"), null,
					Kind.TIME, Goal.none(), appCommand, null,
					String.format(Locale.ROOT, "%s MiB right after the warm-up; %s",
							number(asDouble(app.get("heapAfterWarmupMiB"))), load)));
			memory.add(new Row("memory", "sample-rss", rssTitle, figure(app, "rssUnderLoadMiB", "MiB"), null, Kind.TIME,
					Goal.none(), appCommand, null, "largest VmRSS sampled twice a second during each round"));
		}
		return memory;
	}

	/**
	 * A physical ceiling measured by an external tool, beside the figure it bounds.
	 */
	private Row ceilingRow(String family, String key, String title, String file, String label, @Nullable Figure bounded,
			String unit) {
		String command = command(file, label.equals("tps") ? " -S " : "");
		List<Double> values = new ArrayList<>();
		// redis-benchmark names a test by its command line: "GET: 1234.5 requests per
		// second" or
		// "XADD key MAXLEN ...: 1234.5 requests per second".
		Pattern pattern = label.equals("tps") ? Pattern.compile("tps = ([0-9.]+)")
				: Pattern.compile("^" + Pattern.quote(label) + "\\b.*: ([0-9.]+) requests per second");
		for (String line : lines(file + ".txt")) {
			Matcher matcher = pattern.matcher(line);
			if (matcher.find()) {
				values.add(Double.parseDouble(matcher.group(1)));
			}
		}
		if (values.isEmpty()) {
			return Row.notMeasured(family, key, title, Goal.none(), note(file, "not run in this run"), command);
		}
		Figure ceiling = new Figure(values.stream().mapToDouble(Double::doubleValue).toArray(), unit);
		if (bounded == null) {
			return new Row(family, key, title, null, ceiling, Kind.THROUGHPUT, Goal.none(), command, null,
					"the ceiling alone: no Protevus operation is the same work");
		}
		return new Row(family, key, title, bounded, ceiling, Kind.THROUGHPUT, Goal.none(), command, null,
				"share of the ceiling reached");
	}

	// Inputs

	@Nullable
	private String missing(String family, @Nullable Jmh jmh) {
		return (jmh != null) ? null : note(family, "not run in this run");
	}

	private String note(String key, String otherwise) {
		return this.notes.getOrDefault(key, otherwise);
	}

	/**
	 * The first command run.sh ran under the given tag that contains the given text.
	 */
	private String command(String tag, String containing) {
		List<String> candidates = this.commands.getOrDefault(tag, List.of());
		return candidates.stream()
			.filter((command) -> command.contains(containing))
			.findFirst()
			.orElse(candidates.isEmpty() ? "" : candidates.get(0));
	}

	@Nullable
	private Jmh jmh(String file) throws IOException {
		Path path = this.run.resolve(file);
		if (!Files.isRegularFile(path) || Files.size(path) == 0) {
			return null;
		}
		return new Jmh(JSON.readTree(path.toFile()));
	}

	@Nullable
	private static Figure jmhFigure(@Nullable Jmh jmh, String benchmark, @Nullable String param) {
		if (jmh == null) {
			return null;
		}
		for (JsonNode result : jmh.results()) {
			String name = result.path("benchmark").asText();
			if (!name.endsWith("." + benchmark)) {
				continue;
			}
			if (param != null) {
				String[] parts = param.split("=", 2);
				if (!result.path("params").path(parts[0]).asText().equals(parts[1])) {
					continue;
				}
			}
			JsonNode metric = result.path("primaryMetric");
			List<Double> values = new ArrayList<>();
			for (JsonNode fork : metric.path("rawData")) {
				for (JsonNode iteration : fork) {
					values.add(iteration.asDouble());
				}
			}
			return new Figure(values.stream().mapToDouble(Double::doubleValue).toArray(),
					metric.path("scoreUnit").asText().replace("us/op", "µs/op"));
		}
		return null;
	}

	/**
	 * The last {@link ResultLine} of the given benchmark in the run's outputs.
	 */
	@Nullable
	@SuppressWarnings("unchecked")
	private Map<String, Object> result(String benchmark) {
		Map<String, Object> found = null;
		try (var files = Files.list(this.run)) {
			for (Path file : files.filter((path) -> path.toString().endsWith(".txt")).sorted().toList()) {
				for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
					if (line.startsWith(ResultLine.PREFIX)) {
						Map<String, Object> value = JSON.readValue(line.substring(ResultLine.PREFIX.length()),
								Map.class);
						if (benchmark.equals(value.get("benchmark"))) {
							found = value;
						}
					}
				}
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		return found;
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> apps(Map<String, Object> web) {
		return (Map<String, Object>) web.get("apps");
	}

	/**
	 * An app's figure in a web run: with several JVMs per app ({@code --forks}), each
	 * round's mean over the app's JVMs, so that a paired ratio compares the app's JVMs
	 * with the anchor's round by round rather than one JVM's luck with another's.
	 */
	@SuppressWarnings("unchecked")
	private static Figure webFigure(Map<String, Object> web, String app, String field, String unit) {
		Figure all = figure((Map<String, Object>) apps(web).get(app), field, unit);
		int forks = ((Number) web.getOrDefault("forks", 1)).intValue();
		if (all == null || forks < 2 || all.values().length % forks != 0) {
			return all;
		}
		int rounds = all.values().length / forks;
		double[] means = new double[rounds];
		for (int i = 0; i < all.values().length; i++) {
			means[i % rounds] += all.values()[i] / forks;
		}
		return new Figure(means, unit);
	}

	@SuppressWarnings("unchecked")
	private static Figure strategyFigure(Map<String, Object> lb, String strategy, String field) {
		return figure((Map<String, Object>) ((Map<String, Object>) lb.get("strategies")).get(strategy), field, "ms");
	}

	@SuppressWarnings("unchecked")
	private static Figure figure(@Nullable Map<String, Object> values, String field, String unit) {
		if (values == null) {
			return null;
		}
		// Jackson writes NaN and infinities as strings.
		List<Object> numbers = (List<Object>) values.get(field);
		return new Figure(numbers.stream()
			.mapToDouble((value) -> (value instanceof Number number) ? number.doubleValue()
					: Double.parseDouble(value.toString()))
			.filter((value) -> !Double.isNaN(value))
			.toArray(), unit);
	}

	private static double asDouble(Object value) {
		return ((Number) value).doubleValue();
	}

	private List<String> lines(String file) {
		Path path = this.run.resolve(file);
		try {
			return Files.isRegularFile(path) ? Files.readAllLines(path, StandardCharsets.UTF_8) : List.of();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String resource(String name) throws IOException {
		try (InputStream in = PerformanceReport.class.getClassLoader().getResourceAsStream(name)) {
			if (in == null) {
				throw new IllegalStateException("Missing resource " + name);
			}
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
	}

	/**
	 * Sections of a Markdown file by their {@code ## key} headings.
	 */
	private static Map<String, String> sections(String text) {
		Map<String, String> sections = new LinkedHashMap<>();
		String key = null;
		StringBuilder body = new StringBuilder();
		for (String line : text.split("\n", -1)) {
			if (line.startsWith("## ")) {
				if (key != null) {
					sections.put(key, body.toString().strip());
				}
				key = line.substring(3).strip();
				body.setLength(0);
			}
			else if (key != null) {
				body.append(line).append('\n');
			}
		}
		if (key != null) {
			sections.put(key, body.toString().strip());
		}
		return sections;
	}

	// Output

	private String render(@Nullable String chartNote) throws IOException {
		String template = resource(TEMPLATE);
		Matcher matcher = PLACEHOLDER.matcher(template);
		StringBuilder out = new StringBuilder();
		while (matcher.find()) {
			String replacement = switch (matcher.group(1)) {
				case "run" -> runLine();
				case "missed" -> missed();
				case "rows" -> table(matcher.group(2));
				case "chart" -> chart(matcher.group(2), chartNote);
				default -> matcher.group();
			};
			matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
		}
		matcher.appendTail(out);
		return out.toString();
	}

	private String runLine() {
		Properties p = this.properties;
		boolean quick = Boolean.parseBoolean(p.getProperty("quick", "false"));
		StringBuilder line = new StringBuilder();
		line.append(String.format(Locale.ROOT,
				"Generated by `%s` from the run of %s to %s UTC (%s minutes, build included)%s, at commit `%s`, on %s CPUs (%s), %s; load average "
						+ "%s at the start and %s at the end. Servers: Redis %s; PostgreSQL %s; memcached %s. Raw "
						+ "results: `%s`.",
				p.getProperty("command", "benchmarks/run.sh"), p.getProperty("start", "?"), p.getProperty("end", "?"),
				p.getProperty("minutes", "?"),
				quick ? " with **`--quick`**: every benchmark ran briefly, to check that the pipeline works, so its "
						+ "figures are not measurements to quote" : "",
				p.getProperty("commit", "?"), p.getProperty("cpus", "?"), p.getProperty("machine", "?"),
				p.getProperty("java", "?"), p.getProperty("load-start", "?"), p.getProperty("load-end", "?"),
				p.getProperty("redis", "?"), p.getProperty("postgres", "?"), p.getProperty("memcached", "?"),
				p.getProperty("results", this.run.toString())));
		return line.toString();
	}

	private String missed() {
		List<String> items = new ArrayList<>();
		for (Row row : this.rows) {
			if (row.passes() == Boolean.FALSE) {
				String limit = this.limits.get(row.key());
				items.add(String.format(Locale.ROOT, "- **%s**: %s, goal %s (the [%s](#%s) table).%s", row.title(),
						row.ratioText(), row.goal().text(), row.family(), anchorOf(row.family()), (limit != null)
								? " " + limit.replaceAll("\\s*\n\\s*", " ") : " What limits it is not known yet."));
			}
		}
		List<String> unmeasured = this.rows.stream()
			.filter((row) -> row.notMeasured() != null && row.goal().kind() != Goal.Kind.NONE)
			.map((row) -> "- " + row.title() + ": not measured, " + row.notMeasured())
			.toList();
		StringBuilder out = new StringBuilder();
		if (items.isEmpty()) {
			out.append("No goal measured in this run was missed.\n");
		}
		else {
			out.append("Goals missed in this run:\n\n").append(String.join("\n", items)).append('\n');
		}
		if (!unmeasured.isEmpty()) {
			out.append("\nGoals not measured in this run:\n\n").append(String.join("\n", unmeasured)).append('\n');
		}
		return out.toString().stripTrailing();
	}

	private String table(String family) {
		List<Row> familyRows = this.rows.stream().filter((row) -> row.family().equals(family)).toList();
		List<String> familyCommands = new ArrayList<>();
		StringBuilder out = new StringBuilder();
		out.append("| Row | Protevus: median (lowest–highest) | Anchor: median (lowest–highest) | Ratio | Goal | Met | "
				+ "Rounds | Command |\n");
		out.append("|---|---|---|---|---|---|---|---|\n");
		for (Row row : familyRows) {
			int reference = 0;
			if (!row.command().isEmpty()) {
				if (!familyCommands.contains(row.command())) {
					familyCommands.add(row.command());
				}
				reference = familyCommands.indexOf(row.command()) + 1;
			}
			String command = (reference > 0) ? "(" + reference + ")" : "";
			if (row.notMeasured() != null) {
				out.append(String.format(Locale.ROOT, "| %s | not measured: %s | | | %s | | | %s |\n", row.title(),
						row.notMeasured(), row.goal().text(), command));
				continue;
			}
			String met = switch (String.valueOf(row.passes())) {
				case "true" -> "yes";
				case "false" -> "**no**";
				default -> "reported";
			};
			String ratio = Stream.of(row.ratioText(), row.detail())
				.filter((part) -> part != null && !part.isEmpty())
				.collect(Collectors.joining("; "));
			out.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s |\n", row.title(),
					(row.protevus() != null) ? row.protevus().text() : "—",
					(row.anchor() != null) ? row.anchor().text() : "—", ratio, row.goal().text(), met, row.rounds(),
					command));
		}
		if (!familyCommands.isEmpty()) {
			out.append("\nCommands, as run:\n\n");
			for (int i = 0; i < familyCommands.size(); i++) {
				out.append(i + 1).append(". `").append(familyCommands.get(i).replace("`", "'")).append("`\n");
			}
		}
		return out.toString().stripTrailing();
	}

	private String chart(String family, @Nullable String chartNote) {
		if (chartNote != null) {
			return "_No chart: " + chartNote + "._";
		}
		Path png = this.run.resolve("charts").resolve(family + ".png");
		if (!Files.isRegularFile(png)) {
			return "_No chart: nothing of this family was measured in this run._";
		}
		return "![" + family + "](performance/" + family + ".png)";
	}

	// Charts

	/**
	 * Writes one PNG per family with gnuplot into the run's {@code charts} directory and
	 * copies them to the given directory.
	 * @return why there are no charts, or {@code null} when they were written
	 */
	@Nullable
	private String charts(Path target) throws IOException, InterruptedException {
		if (!onPath("gnuplot")) {
			return "gnuplot is not installed (`apt-get install -y gnuplot-nox`)";
		}
		Path charts = this.run.resolve("charts");
		Files.createDirectories(charts);
		Files.createDirectories(target);
		for (String family : List.of("cache", "data", "web", "queue")) {
			ratioChart(charts, family);
		}
		latencyChart(charts);
		memoryChart(charts);
		try (var pngs = Files.list(charts)) {
			for (Path png : pngs.filter((path) -> path.toString().endsWith(".png")).toList()) {
				Files.copy(png, target.resolve(png.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
			}
		}
		return null;
	}

	private void ratioChart(Path charts, String family) throws IOException, InterruptedException {
		List<Row> measured = this.rows.stream()
			.filter((row) -> row.family().equals(family) && row.notMeasured() == null
					&& row.goal().kind() != Goal.Kind.NONE)
			.toList();
		if (measured.isEmpty()) {
			return;
		}
		double lowest = measured.stream().mapToDouble(Row::goalMargin).min().orElse(1);
		double highest = measured.stream().mapToDouble(Row::goalMargin).max().orElse(1);
		double left = Math.pow(10, Math.floor(Math.log10(Math.min(lowest, 1) / 2)));
		double right = Math.pow(10, Math.ceil(Math.log10(Math.max(highest, 1) * 2)));
		StringBuilder data = new StringBuilder();
		for (Row row : measured) {
			data.append(String.format(Locale.ROOT, "\"%s\" %.6g %d\n", row.shortLabel(), row.goalMargin(),
					Boolean.TRUE.equals(row.passes()) ? 0x2e8b57 : 0xcd3333));
		}
		Files.writeString(charts.resolve(family + ".dat"), data);
		String script = String.format(Locale.ROOT,
				"""
						set terminal pngcairo size 1000,%d font "sans,10"
						set output '%s'
						set title "%s: each row's ratio divided by its goal, log scale\\n1 or more meets the goal (green: met, red: missed)"
						set style fill solid 0.8 border -1
						set logscale x 10
						set xrange [%g:%g]
						set yrange [-0.7:%d.7]
						set grid xtics
						unset key
						set arrow from 1, graph 0 to 1, graph 1 nohead lc rgb "black" lw 2 dt 2
						plot '%s' using (%g):0:(%g):2:($0-0.3):($0+0.3):3:ytic(1) with boxxyerror lc rgb variable
						""",
				140 + 45 * measured.size(), charts.resolve(family + ".png"), capitalize(family), left, right,
				measured.size() - 1, charts.resolve(family + ".dat"), left, left);
		gnuplot(charts, family, script);
	}

	private void latencyChart(Path charts) throws IOException, InterruptedException {
		Map<String, Object> lb = result("loadbalancer");
		if (lb == null) {
			return;
		}
		StringBuilder data = new StringBuilder("percentile round-robin least-connections\n");
		for (String[] percentile : new String[][] { { "p50", "p50Millis" }, { "p90", "p90Millis" },
				{ "p99", "p99Millis" }, { "p99.9", "p999Millis" }, { "max", "maxMillis" } }) {
			data.append(String.format(Locale.ROOT, "%s %.6g %.6g\n", percentile[0],
					strategyFigure(lb, "round-robin", percentile[1]).median(),
					strategyFigure(lb, "least-connections", percentile[1]).median()));
		}
		Files.writeString(charts.resolve("loadbalancer.dat"), data);
		String script = String.format(Locale.ROOT, """
				set terminal pngcairo size 900,450 font "sans,10"
				set output '%s'
				set title "Load balancing: latency percentiles with one slow backend (median of rounds, ms, log scale)"
				set style data histograms
				set style histogram cluster gap 1
				set style fill solid 0.8 border -1
				set logscale y 10
				set grid ytics
				set key top left
				set ylabel "ms from when the request was due"
				plot '%s' using 2:xtic(1) title columnheader(2), '' using 3 title columnheader(3)
				""", charts.resolve("loadbalancer.png"), charts.resolve("loadbalancer.dat"));
		gnuplot(charts, "loadbalancer", script);
	}

	private void memoryChart(Path charts) throws IOException, InterruptedException {
		List<Row> measured = this.rows.stream()
			.filter((row) -> row.family().equals("memory") && row.notMeasured() == null)
			.toList();
		if (measured.isEmpty()) {
			return;
		}
		StringBuilder data = new StringBuilder("row Protevus \"Spring's CaffeineCacheManager\"\n");
		for (Row row : measured) {
			String label = switch (row.key()) {
				case "bytes-per-entry" -> "Tier heap per entry";
				case "sample-heap" -> "App heap after GC";
				case "sample-rss" -> "App RSS under load";
				default -> row.shortLabel();
			};
			data.append(String.format(Locale.ROOT, "\"%s (%s)\" %.6g %.6g\n", label, row.protevus().unit(),
					row.protevus().median(), (row.anchor() != null) ? row.anchor().median() : Double.NaN));
		}
		Files.writeString(charts.resolve("memory.dat"), data);
		String script = String.format(Locale.ROOT, """
				set terminal pngcairo size 900,450 font "sans,10"
				set output '%s'
				set title "Memory: median of rounds (the memory tier's heap per entry; the sample app's heap and RSS)"
				set style data histograms
				set style histogram cluster gap 1
				set style fill solid 0.8 border -1
				set grid ytics
				set yrange [0:*]
				set key top left
				set datafile missing "NaN"
				plot '%s' using 2:xtic(1) title columnheader(2), '' using 3 title columnheader(3)
				""", charts.resolve("memory.png"), charts.resolve("memory.dat"));
		gnuplot(charts, "memory", script);
	}

	private static void gnuplot(Path charts, String name, String script) throws IOException, InterruptedException {
		Path file = charts.resolve(name + ".gp");
		Files.writeString(file, script);
		Process process = new ProcessBuilder("gnuplot", file.toString()).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
			System.err.println("gnuplot failed for " + file + ": " + output);
		}
	}

	private static boolean onPath(String command) {
		String path = System.getenv("PATH");
		return path != null
				&& Arrays.stream(path.split(":")).anyMatch((dir) -> Files.isExecutable(Path.of(dir, command)));
	}

	private static String rtt(String micros) {
		return switch (micros) {
			case "0" -> "RTT 0 (through the proxy, no delay)";
			case "500" -> "RTT 0.5 ms";
			case "1000" -> "RTT 1 ms";
			default -> micros + " µs";
		};
	}

	/**
	 * The Markdown anchor of a family's section in the template.
	 */
	private static String anchorOf(String family) {
		return switch (family) {
			case "data" -> "database-results";
			case "web" -> "web-results";
			case "queue" -> "job-queue-results";
			case "loadbalancer" -> "load-balancing-results";
			default -> family;
		};
	}

	private static String capitalize(String text) {
		return Character.toUpperCase(text.charAt(0)) + text.substring(1);
	}

	static String plain(double value) {
		return java.math.BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
	}

	static String number(double value) {
		if (Double.isNaN(value)) {
			return "n/a";
		}
		double magnitude = Math.abs(value);
		if (magnitude >= 100) {
			return String.format(Locale.ROOT, "%,.0f", value);
		}
		if (magnitude >= 10) {
			return String.format(Locale.ROOT, "%.1f", value);
		}
		if (magnitude >= 1) {
			return String.format(Locale.ROOT, "%.2f", value);
		}
		return String.format(Locale.ROOT, "%.3g", value);
	}

	private record Jmh(JsonNode results) {
	}

	/**
	 * Each round's value of one side of a row, and their unit.
	 */
	record Figure(double[] values, String unit) {

		double median() {
			double[] sorted = this.values.clone();
			Arrays.sort(sorted);
			int middle = sorted.length / 2;
			return (sorted.length % 2 == 1) ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
		}

		double lowest() {
			return Arrays.stream(this.values).min().orElse(Double.NaN);
		}

		double highest() {
			return Arrays.stream(this.values).max().orElse(Double.NaN);
		}

		String text() {
			return String.format(Locale.ROOT, "%s %s (%s–%s)", number(median()), this.unit, number(lowest()),
					number(highest()));
		}

	}

	/**
	 * How a row's ratio is read: the ratio of throughputs, of times, or how many times
	 * faster Protevus is (the anchor's time over Protevus's). {@code PAIRED_THROUGHPUT}
	 * is a ratio of throughputs measured in rounds where both sides ran one right after
	 * the other: its ratio is the median of the rounds' own ratios, which a machine whose
	 * speed drifts between rounds leaves alone.
	 */
	enum Kind {

		THROUGHPUT, PAIRED_THROUGHPUT, TIME, SPEEDUP

	}

	/**
	 * A row's goal for its ratio.
	 */
	record Goal(Kind kind, double value) {

		enum Kind {

			AT_LEAST, AT_MOST, NONE

		}

		static Goal atLeast(double value) {
			return new Goal(Kind.AT_LEAST, value);
		}

		static Goal atMost(double value) {
			return new Goal(Kind.AT_MOST, value);
		}

		static Goal none() {
			return new Goal(Kind.NONE, Double.NaN);
		}

		String text() {
			return switch (this.kind) {
				case AT_LEAST -> "≥ " + plain(this.value) + "×";
				case AT_MOST -> "≤ " + plain(this.value) + "×";
				case NONE -> "none (reported)";
			};
		}

	}

	/**
	 * One line of the report.
	 */
	record Row(String family, String key, String title, @Nullable Figure protevus, @Nullable Figure anchor, Kind kind,
			Goal goal, String command, @Nullable String notMeasured, @Nullable String detail) {

		static Row notMeasured(String family, String key, String title, Goal goal, String why, String command) {
			return new Row(family, key, title, null, null, Kind.THROUGHPUT, goal, command, why, null);
		}

		double ratio() {
			if (this.protevus == null || this.anchor == null) {
				return Double.NaN;
			}
			if (this.kind == Kind.PAIRED_THROUGHPUT && this.protevus.values().length == this.anchor.values().length) {
				double[] ratios = new double[this.protevus.values().length];
				for (int round = 0; round < ratios.length; round++) {
					ratios[round] = this.protevus.values()[round] / this.anchor.values()[round];
				}
				return new Figure(ratios, "").median();
			}
			return (this.kind == Kind.SPEEDUP) ? this.anchor.median() / this.protevus.median()
					: this.protevus.median() / this.anchor.median();
		}

		String ratioText() {
			if (this.protevus == null || this.anchor == null) {
				return "";
			}
			return switch (this.kind) {
				case THROUGHPUT, PAIRED_THROUGHPUT -> number(ratio()) + "×";
				case TIME -> number(ratio()) + "× the anchor's";
				case SPEEDUP -> number(ratio()) + ((ratio() >= 1) ? "× faster" : "× the speed");
			};
		}

		@Nullable
		Boolean passes() {
			if (this.notMeasured != null || this.protevus == null || this.anchor == null) {
				return null;
			}
			return switch (this.goal.kind()) {
				case AT_LEAST -> ratio() >= this.goal.value();
				case AT_MOST -> ratio() <= this.goal.value();
				case NONE -> null;
			};
		}

		/**
		 * The ratio over its goal, turned so that 1 or more meets it.
		 */
		double goalMargin() {
			return (this.goal.kind() == Goal.Kind.AT_MOST) ? this.goal.value() / ratio() : ratio() / this.goal.value();
		}

		String rounds() {
			int anchorRounds = (this.anchor != null) ? this.anchor.values().length : 0;
			int protevusRounds = (this.protevus != null) ? this.protevus.values().length : anchorRounds;
			anchorRounds = (this.anchor != null) ? anchorRounds : protevusRounds;
			return (protevusRounds == anchorRounds) ? Integer.toString(protevusRounds)
					: protevusRounds + " / " + anchorRounds;
		}

		String shortLabel() {
			if (this.key.equals("hot-key-http-redis")) {
				return "Hot key over HTTP vs a RedisCacheManager app";
			}
			if (this.key.equals("hot-key-http-simple")) {
				return "Hot key over HTTP vs a ConcurrentMapCacheManager app";
			}
			String label = this.title.replace("`", "").replace("\"", "'");
			int colon = label.indexOf(": ");
			if (colon < 0) {
				return label;
			}
			int at = label.lastIndexOf(" at ");
			return label.substring(0, colon) + ((at > colon) ? label.substring(at) : "");
		}

	}

}
