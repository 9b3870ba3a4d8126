package dev.protevus.benchmarks.memory;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.github.benmanes.caffeine.cache.Caffeine;
import dev.protevus.benchmarks.cache.Book;
import dev.protevus.benchmarks.report.ResultLine;
import dev.protevus.boot.cache.CacheTier;
import dev.protevus.boot.cache.TieredCacheManager;
import dev.protevus.boot.cache.TieredCacheSettings;

import org.springframework.cache.Cache;
import org.springframework.cache.caffeine.CaffeineCacheManager;

/**
 * Memory figures for the performance report, as {@link ResultLine}s.
 * <ul>
 * <li>{@code entries [count] [rounds]}: the heap a cache holds per entry, its keys and
 * values excluded (they are allocated before and kept alive throughout): a
 * {@code TieredCache} with only the memory tier against Spring's
 * {@code CaffeineCacheManager} with the same bound and ttl, measured as the used heap
 * after a full collection with the cache filled less the same with it empty.</li>
 * <li>{@code sample-app <jar> <warm-up s> <load s> [rounds]}: the sample application
 * (default profile, no servers) started in its own JVM, loaded with {@code wrk} on
 * {@code GET /books/1}; after the warm-up and after each round of load, its used heap
 * after a full collection ({@code jcmd GC.run}, then {@code GC.heap_info}); during each
 * round, the largest {@code VmRSS} of {@code /proc/<pid>/status}.</li>
 * </ul>
 *
 * @since 0.1.0
 */
public final class MemoryFootprint {

	private static final Pattern HEAP_USED = Pattern.compile("total \\d+K, used (\\d+)K");

	private static final Duration TTL = Duration.ofMinutes(10);

	private MemoryFootprint() {
	}

	public static void main(String[] args) throws Exception {
		if (args.length > 0 && args[0].equals("sample-app")) {
			sampleApp(Path.of(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]),
					(args.length > 4) ? Integer.parseInt(args[4]) : 3);
		}
		else {
			entries((args.length > 1) ? Integer.parseInt(args[1]) : 100_000,
					(args.length > 2) ? Integer.parseInt(args[2]) : 3);
		}
	}

	private static void entries(int count, int rounds) {
		String[] keys = new String[count];
		Book[] values = new Book[count];
		for (int i = 0; i < count; i++) {
			keys[i] = "key-" + i;
			values[i] = new Book(i, "Book number " + i, 1900 + (i % 125));
		}
		TieredCacheSettings settings = new TieredCacheSettings(TTL, List.of(CacheTier.MEMORY), 2L * count, null, true,
				Duration.ZERO, false);
		double[][] bytes = new double[2][rounds];
		for (int round = 0; round < rounds; round++) {
			bytes[0][round] = perEntry(keys, values, () -> {
				TieredCacheManager manager = TieredCacheManager.builder(settings).build();
				return manager.getCache("footprint");
			});
			bytes[1][round] = perEntry(keys, values, () -> {
				CaffeineCacheManager manager = new CaffeineCacheManager();
				manager
					.setCaffeine(Caffeine.newBuilder().maximumSize(settings.memoryMaximumSize()).expireAfterWrite(TTL));
				return manager.getCache("footprint");
			});
			System.out.printf("round %d: protevus %.1f bytes/entry, spring %.1f bytes/entry (%,d entries)%n", round + 1,
					bytes[0][round], bytes[1][round], count);
		}
		ResultLine.print("memory-entries",
				Map.of("entries", count, "protevusBytesPerEntry", bytes[0], "springBytesPerEntry", bytes[1]));
	}

	private static double perEntry(String[] keys, Book[] values, Supplier<Cache> caches) {
		Cache cache = caches.get();
		long empty = usedAfterGc();
		for (int i = 0; i < keys.length; i++) {
			cache.put(keys[i], values[i]);
		}
		for (int i = 0; i < keys.length; i++) {
			if (cache.get(keys[i]) == null) {
				throw new IllegalStateException("The cache lost " + keys[i]);
			}
		}
		long full = usedAfterGc();
		double perEntry = (double) (full - empty) / keys.length;
		cache.clear();
		return perEntry;
	}

	private static long usedAfterGc() {
		MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
		long used = Long.MAX_VALUE;
		// Several collections, keeping the least: a single one may leave garbage that a
		// concurrent phase had not yet reached.
		for (int i = 0; i < 4; i++) {
			System.gc();
			used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
		}
		return used;
	}

	private static void sampleApp(Path jar, int warmupSeconds, int loadSeconds, int rounds) throws Exception {
		int port = freePort();
		Path log = Files.createTempFile("sample-app", ".log");
		Process app = new ProcessBuilder("java", "-jar", jar.toString(), "--server.port=" + port,
				"--spring.main.banner-mode=off")
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		try {
			String url = "http://127.0.0.1:" + port + "/books/1";
			awaitUp(url, app, log);
			wrk(url, warmupSeconds, null);
			double afterWarmup = heapUsedAfterGcMiB(app.pid());
			System.out.printf("sample app (pid %d): %.1f MiB heap used after %d s warm-up and a full GC%n", app.pid(),
					afterWarmup, warmupSeconds);
			double[] heap = new double[rounds];
			double[] rss = new double[rounds];
			double[] rate = new double[rounds];
			for (int round = 0; round < rounds; round++) {
				long[] maxRssKiB = { 0 };
				rate[round] = wrk(url, loadSeconds, () -> maxRssKiB[0] = Math.max(maxRssKiB[0], rssKiB(app.pid())));
				rss[round] = maxRssKiB[0] / 1024.0;
				heap[round] = heapUsedAfterGcMiB(app.pid());
				System.out.printf(
						"round %d: %.0f requests/s, largest RSS %.1f MiB, heap used after a full GC %.1f MiB%n",
						round + 1, rate[round], rss[round], heap[round]);
			}
			ResultLine.print("memory-sample-app",
					Map.of("warmupSeconds", warmupSeconds, "loadSeconds", loadSeconds, "heapAfterWarmupMiB",
							afterWarmup, "heapUsedAfterGcMiB", heap, "rssUnderLoadMiB", rss, "requestsPerSecond",
							rate));
		}
		finally {
			app.destroy();
			if (!app.waitFor(30, TimeUnit.SECONDS)) {
				app.destroyForcibly();
			}
		}
	}

	private static void awaitUp(String url, Process app, Path log) throws Exception {
		long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
		while (System.nanoTime() < deadline) {
			if (!app.isAlive()) {
				throw new IllegalStateException("The sample app exited: " + Files.readString(log));
			}
			try {
				HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
				connection.setConnectTimeout(1000);
				connection.setReadTimeout(5000);
				if (connection.getResponseCode() == 200) {
					return;
				}
			}
			catch (IOException ex) {
				// Not listening yet.
			}
			Thread.sleep(250);
		}
		throw new IllegalStateException("The sample app did not answer " + url + " within 3 minutes; see " + log);
	}

	/**
	 * Loads the URL with wrk for the given time, calling the sampler twice a second
	 * meanwhile, and returns the requests per second.
	 */
	private static double wrk(String url, int seconds, Runnable sampler) throws Exception {
		Process wrk = new ProcessBuilder("wrk", "-t1", "-c16", "-d" + seconds + "s", url).redirectErrorStream(true)
			.start();
		while (!wrk.waitFor(500, TimeUnit.MILLISECONDS)) {
			if (sampler != null) {
				sampler.run();
			}
		}
		String output = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		Matcher rate = Pattern.compile("Requests/sec:\\s+([0-9.]+)").matcher(output);
		if (wrk.exitValue() != 0 || !rate.find()) {
			throw new IllegalStateException("wrk failed: " + output);
		}
		return Double.parseDouble(rate.group(1));
	}

	private static double heapUsedAfterGcMiB(long pid) throws Exception {
		jcmd(pid, "GC.run");
		String info = jcmd(pid, "GC.heap_info");
		Matcher used = HEAP_USED.matcher(info);
		if (!used.find()) {
			throw new IllegalStateException("No heap use in jcmd GC.heap_info: " + info);
		}
		return Long.parseLong(used.group(1)) / 1024.0;
	}

	private static String jcmd(long pid, String command) throws Exception {
		List<String> line = new ArrayList<>(List.of("jcmd", Long.toString(pid), command));
		Process jcmd = new ProcessBuilder(line).redirectErrorStream(true).start();
		String output = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (jcmd.waitFor() != 0) {
			throw new IllegalStateException(line + " failed: " + output);
		}
		return output;
	}

	private static long rssKiB(long pid) {
		try {
			for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
				if (line.startsWith("VmRSS:")) {
					return Long.parseLong(line.replaceAll("[^0-9]", ""));
				}
			}
		}
		catch (IOException ex) {
			// Gone: nothing to sample.
		}
		return 0;
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
