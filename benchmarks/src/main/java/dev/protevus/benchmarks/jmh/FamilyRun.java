package dev.protevus.benchmarks.jmh;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs families of JMH benchmarks (Protevus's side and its anchor, and their parameters)
 * in this one JVM: first warms it by running every benchmark of every family in turn, one
 * slice each, until the warm-up time has passed, then measures each family with its own
 * JMH warm-up and measurement options. One fork per benchmark would warm a JVM per
 * benchmark for as long, which for the 22 benchmarks of {@code benchmarks/run.sh} cost 22
 * minutes of warm-up; here the JVM warms once, and a row's sides are measured seconds
 * apart instead of forks minutes apart, on a JIT that has seen every side.
 * <p>
 * Usage: {@code FamilyRun [--warmup SECONDS] [--slice SECONDS] <JMH options> [--and <JMH
 * options>]...}; each family's options are JMH's command line ({@code -wi -w -i -r -p -rf
 * -rff} and the benchmark pattern), so families that need different parameters or result
 * files share the JVM; {@code -f} is ignored (nothing is forked). JMH warns that a run
 * without forks may omit JVM options and compiler hints: the benchmarks here declare
 * neither.
 *
 * @since 0.1.0
 */
public final class FamilyRun {

	private static final String USAGE = "usage: FamilyRun [--warmup SECONDS] [--slice SECONDS] <JMH options>"
			+ " [--and <JMH options>]...";

	private FamilyRun() {
	}

	public static void main(String[] args) throws Exception {
		Duration warmup = Duration.ofSeconds(60);
		TimeValue slice = TimeValue.seconds(5);
		int first = 0;
		while (first < args.length && args[first].startsWith("--") && !args[first].equals("--and")) {
			switch (args[first]) {
				case "--warmup" -> warmup = Duration.ofSeconds(Long.parseLong(args[first + 1]));
				case "--slice" -> slice = TimeValue.seconds(Long.parseLong(args[first + 1]));
				default -> throw new IllegalArgumentException("Unknown option " + args[first] + "; " + USAGE);
			}
			first += 2;
		}
		List<Options> families = families(Arrays.copyOfRange(args, first, args.length));
		warm(families, warmup, slice);
		for (Options family : families) {
			Collection<RunResult> results = new Runner(new OptionsBuilder().parent(family).forks(0).build()).run();
			if (results.isEmpty()) {
				throw new IllegalStateException("No benchmark matched " + family.getIncludes());
			}
		}
	}

	/**
	 * Each family's JMH options, the command line split at {@code --and}.
	 */
	static List<Options> families(String[] args) throws Exception {
		List<Options> families = new ArrayList<>();
		int start = 0;
		for (int i = 0; i <= args.length; i++) {
			if (i == args.length || args[i].equals("--and")) {
				if (i == start) {
					throw new IllegalArgumentException("A family without JMH options; " + USAGE);
				}
				families.add(new CommandLineOptions(Arrays.copyOfRange(args, start, i)));
				start = i + 1;
			}
		}
		return families;
	}

	/**
	 * Runs every benchmark of every family for one slice each, family after family, until
	 * the JVM has warmed for the given time and every family has run at least once; what
	 * these runs measure is thrown away.
	 */
	private static void warm(List<Options> families, Duration warmup, TimeValue slice) throws Exception {
		Path discarded = Files.createTempFile("family-run-warmup", ".json");
		try {
			long deadline = System.nanoTime() + warmup.toNanos();
			int runs = 0;
			do {
				Options family = families.get(runs % families.size());
				Options warming = new OptionsBuilder().parent(family)
					.forks(0)
					.warmupIterations(0)
					.measurementIterations(1)
					.measurementTime(slice)
					.resultFormat(ResultFormatType.JSON)
					.result(discarded.toString())
					.build();
				new Runner(warming).run();
				runs++;
			}
			while (runs < families.size() || System.nanoTime() - deadline < 0);
			System.out.println("# FamilyRun: warmed for at least " + warmup.toSeconds() + " s (" + runs + " runs over "
					+ families.size() + " families); measuring");
		}
		finally {
			Files.deleteIfExists(discarded);
		}
	}

}
