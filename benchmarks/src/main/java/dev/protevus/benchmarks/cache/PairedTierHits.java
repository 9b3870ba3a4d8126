package dev.protevus.benchmarks.cache;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntFunction;

import com.sun.management.OperatingSystemMXBean;
import dev.protevus.benchmarks.report.ResultLine;

/**
 * A remote-tier hit against the raw client's read of the same bytes, measured in short
 * slices that alternate between the two sides in one thread (A B B A A B …), so that a
 * change in the machine's speed during the run, which on a shared two-core machine can
 * halve or double a round trip within seconds, reaches both sides alike. JMH measures one
 * side after the other, and its two scores can then differ by the machine's drift rather
 * than by the code.
 * <p>
 * Reports, for each side, the median operations per second over its slices and the JVM
 * CPU time per operation, and the median of the ratios of adjacent slices, which is the
 * figure to compare with the goal (0.8). The last line is the result line that the report
 * generator reads ({@link ResultLine}).
 * <p>
 * Arguments: families ({@code redis}, {@code memcached} or both, comma separated: both
 * are warmed together in one JVM, then measured one after the other), warm-up seconds
 * (default 60), measured seconds (default 60), slice milliseconds (default 200). Redis is
 * found as {@link RedisTierBenchmark} finds it, memcached from {@code -Dmemcached.port}.
 *
 * @since 0.1.0
 */
public final class PairedTierHits {

	private PairedTierHits() {
	}

	public static void main(String[] args) throws Exception {
		String[] names = ((args.length > 0) ? args[0] : "redis").split(",");
		int warmupSeconds = (args.length > 1) ? Integer.parseInt(args[1]) : 60;
		int measuredSeconds = (args.length > 2) ? Integer.parseInt(args[2]) : 60;
		long sliceNanos = ((args.length > 3) ? Long.parseLong(args[3]) : 200) * 1_000_000L;
		KeyCursor cursor = new KeyCursor();
		List<Family> families = new ArrayList<>();
		try {
			for (String name : names) {
				families.add(Family.of(name, cursor));
			}
			long warmupEnd = System.nanoTime() + warmupSeconds * 1_000_000_000L;
			while (System.nanoTime() - warmupEnd < 0) {
				for (Family family : families) {
					slice(family.protevus, sliceNanos);
					slice(family.anchor, sliceNanos);
				}
			}
			for (Family family : families) {
				measure(family, warmupSeconds, measuredSeconds, sliceNanos);
			}
		}
		finally {
			for (Family family : families) {
				family.tearDown.close();
			}
		}
		System.exit(0);
	}

	private static void measure(Family family, int warmupSeconds, int measuredSeconds, long sliceNanos) {
		List<Slice> protevusSlices = new ArrayList<>();
		List<Slice> anchorSlices = new ArrayList<>();
		long end = System.nanoTime() + measuredSeconds * 1_000_000_000L;
		boolean protevusFirst = true;
		while (System.nanoTime() - end < 0) {
			if (protevusFirst) {
				protevusSlices.add(slice(family.protevus, sliceNanos));
				anchorSlices.add(slice(family.anchor, sliceNanos));
			}
			else {
				anchorSlices.add(slice(family.anchor, sliceNanos));
				protevusSlices.add(slice(family.protevus, sliceNanos));
			}
			protevusFirst = !protevusFirst;
		}
		double[] pairRatios = new double[protevusSlices.size()];
		for (int i = 0; i < pairRatios.length; i++) {
			pairRatios[i] = protevusSlices.get(i).opsPerSecond() / anchorSlices.get(i).opsPerSecond();
		}
		Summary mine = Summary.of(protevusSlices);
		Summary theirs = Summary.of(anchorSlices);
		double ratio = median(pairRatios);
		double ratioLow = percentile(pairRatios, 0.25);
		double ratioHigh = percentile(pairRatios, 0.75);
		System.out.printf(Locale.ROOT, "%s tier hit, %d pairs of %d ms slices after %d s warm-up%n", family.name,
				pairRatios.length, sliceNanos / 1_000_000, warmupSeconds);
		System.out.printf(Locale.ROOT, "  protevus  %,10.0f ops/s (quartiles %,.0f–%,.0f)  %.1f µs JVM CPU/op%n",
				mine.median(), mine.low(), mine.high(), mine.cpuMicrosPerOp());
		System.out.printf(Locale.ROOT, "  %-9s %,10.0f ops/s (quartiles %,.0f–%,.0f)  %.1f µs JVM CPU/op%n",
				family.anchorName, theirs.median(), theirs.low(), theirs.high(), theirs.cpuMicrosPerOp());
		System.out.printf(Locale.ROOT,
				"  ratio (median of paired slices) %.3f (quartiles %.3f–%.3f); CPU/op ratio %.3f%n", ratio, ratioLow,
				ratioHigh, theirs.cpuMicrosPerOp() / mine.cpuMicrosPerOp());
		ResultLine.print("paired-" + family.name,
				Map.of("anchor", family.anchorName, "sliceMillis", sliceNanos / 1_000_000, "protevusOpsPerSecond",
						rates(protevusSlices), "anchorOpsPerSecond", rates(anchorSlices), "pairRatios", pairRatios,
						"protevusCpuMicrosPerOp", mine.cpuMicrosPerOp(), "anchorCpuMicrosPerOp",
						theirs.cpuMicrosPerOp()));
	}

	private static double[] rates(List<Slice> slices) {
		return slices.stream().mapToDouble(Slice::opsPerSecond).toArray();
	}

	private static Slice slice(IntFunction<Object> operation, long sliceNanos) {
		OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
		long cpuStart = os.getProcessCpuTime();
		long start = System.nanoTime();
		long end = start + sliceNanos;
		long operations = 0;
		long now;
		do {
			if (operation.apply((int) operations) == null) {
				throw new IllegalStateException("A read missed: the benchmark measures hits");
			}
			operations++;
			now = System.nanoTime();
		}
		while (now - end < 0);
		return new Slice(operations, now - start, os.getProcessCpuTime() - cpuStart);
	}

	private static double median(double[] values) {
		return percentile(values, 0.5);
	}

	private static double percentile(double[] values, double fraction) {
		double[] sorted = values.clone();
		Arrays.sort(sorted);
		return sorted[(int) Math.min(sorted.length - 1, Math.round(fraction * (sorted.length - 1)))];
	}

	/**
	 * A remote tier's two sides, set up and ready to read.
	 */
	private record Family(String name, String anchorName, IntFunction<Object> protevus, IntFunction<Object> anchor,
			AutoCloseable tearDown) {

		static Family of(String name, KeyCursor cursor) throws Exception {
			return switch (name) {
				case "redis" -> {
					RedisTierBenchmark benchmark = new RedisTierBenchmark();
					benchmark.setUp();
					yield new Family(name, "lettuce", (i) -> benchmark.protevus(cursor),
							(i) -> benchmark.lettuce(cursor), benchmark::tearDown);
				}
				case "memcached" -> {
					MemcachedTierBenchmark benchmark = new MemcachedTierBenchmark();
					benchmark.setUp();
					yield new Family(name, "folsom", (i) -> benchmark.protevus(cursor), (i) -> benchmark.folsom(cursor),
							benchmark::tearDown);
				}
				default -> throw new IllegalArgumentException("Unknown family '" + name + "': redis or memcached");
			};
		}

	}

	private record Slice(long operations, long nanos, long cpuNanos) {

		double opsPerSecond() {
			return this.operations * 1e9 / this.nanos;
		}

	}

	private record Summary(double median, double low, double high, double cpuMicrosPerOp) {

		static Summary of(List<Slice> slices) {
			double[] rates = slices.stream().mapToDouble(Slice::opsPerSecond).toArray();
			long operations = slices.stream().mapToLong(Slice::operations).sum();
			long cpuNanos = slices.stream().mapToLong(Slice::cpuNanos).sum();
			return new Summary(PairedTierHits.median(rates), percentile(rates, 0.25), percentile(rates, 0.75),
					cpuNanos / 1000.0 / operations);
		}

	}

}
