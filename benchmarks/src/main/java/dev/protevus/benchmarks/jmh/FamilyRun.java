package dev.protevus.benchmarks.jmh;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs a family of JMH benchmarks (Protevus's side and its anchor, and their parameters)
 * in this one JVM: first warms it by running every benchmark of the family in turn, one
 * slice each, until the warm-up time has passed, then measures each with JMH's own
 * warm-up and measurement options. One fork per benchmark would warm a JVM per benchmark
 * for as long, which for the 22 benchmarks of {@code benchmarks/run.sh} cost 22 minutes
 * of warm-up; here each family's JVM warms once, and its sides are measured seconds apart
 * instead of forks minutes apart, on a JIT that has seen every side.
 * <p>
 * Usage: {@code FamilyRun [--warmup SECONDS] [--slice SECONDS] <JMH options>}; the
 * options are JMH's command line ({@code -wi -w -i -r -p -rf -rff} and the benchmark
 * pattern), {@code -f} is ignored (nothing is forked). JMH warns that a run without forks
 * may omit JVM options and compiler hints: the benchmarks here declare neither.
 *
 * @since 0.1.0
 */
public final class FamilyRun {

	private FamilyRun() {
	}

	public static void main(String[] args) throws Exception {
		Duration warmup = Duration.ofSeconds(60);
		TimeValue slice = TimeValue.seconds(5);
		int first = 0;
		while (first < args.length && args[first].startsWith("--")) {
			switch (args[first]) {
				case "--warmup" -> warmup = Duration.ofSeconds(Long.parseLong(args[first + 1]));
				case "--slice" -> slice = TimeValue.seconds(Long.parseLong(args[first + 1]));
				default -> throw new IllegalArgumentException("Unknown option " + args[first]
						+ "; usage: FamilyRun [--warmup SECONDS] [--slice SECONDS] <JMH options>");
			}
			first += 2;
		}
		Options jmh = new CommandLineOptions(Arrays.copyOfRange(args, first, args.length));
		warm(jmh, warmup, slice);
		Collection<RunResult> results = new Runner(new OptionsBuilder().parent(jmh).forks(0).build()).run();
		if (results.isEmpty()) {
			throw new IllegalStateException("No benchmark matched " + jmh.getIncludes());
		}
	}

	/**
	 * Runs every benchmark of the family for one slice each, over and over, until the JVM
	 * has warmed for the given time; what these runs measure is thrown away.
	 */
	private static void warm(Options jmh, Duration warmup, TimeValue slice) throws Exception {
		Path discarded = Files.createTempFile("family-run-warmup", ".json");
		try {
			Options warming = new OptionsBuilder().parent(jmh)
				.forks(0)
				.warmupIterations(0)
				.measurementIterations(1)
				.measurementTime(slice)
				.resultFormat(ResultFormatType.JSON)
				.result(discarded.toString())
				.build();
			long deadline = System.nanoTime() + warmup.toNanos();
			int passes = 0;
			do {
				new Runner(warming).run();
				passes++;
			}
			while (System.nanoTime() - deadline < 0);
			System.out.println("# FamilyRun: warmed for at least " + warmup.toSeconds() + " s (" + passes
					+ " passes over the family); measuring");
		}
		finally {
			Files.deleteIfExists(discarded);
		}
	}

}
