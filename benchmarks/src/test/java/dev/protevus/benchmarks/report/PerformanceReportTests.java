package dev.protevus.benchmarks.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link PerformanceReport}: a report generated from a small run directory.
 */
class PerformanceReportTests {

	@TempDir
	Path run;

	@Test
	void rowPutsMediansSpreadRatioGoalAndCommandSideBySide() throws Exception {
		jmh("cache.json", "dev.protevus.benchmarks.cache.MemoryTierBenchmark", "protevus", "[[90, 100, 110]]", "spring",
				"[[95, 200, 105]]");
		Files.writeString(this.run.resolve("commands.tsv"), "cache\tjava -jar benchmarks.jar 'cache'\n");
		String report = generate();
		assertThat(report).contains("| Memory-tier hit: `TieredCache.get` vs Spring's `CaffeineCacheManager` | "
				+ "100 ops/s (90.0–110) | 105 ops/s (95.0–200) | 0.952× | ≥ 0.9× | yes | 3 | (1) |");
		assertThat(report).contains("1. `java -jar benchmarks.jar 'cache'`");
	}

	@Test
	void missedGoalIsListedAtTheTopWithWhatLimitsIt() throws Exception {
		Files.writeString(this.run.resolve("cache-paired.txt"),
				ResultLine.PREFIX + "{\"benchmark\":\"paired-redis\",\"protevusOpsPerSecond\":[50,60,40],"
						+ "\"anchorOpsPerSecond\":[100,100,100],\"protevusCpuMicrosPerOp\":20,"
						+ "\"anchorCpuMicrosPerOp\":10}\n");
		String report = generate();
		String summary = report.substring(report.indexOf("## Summary"), report.indexOf("## Running"));
		assertThat(summary).contains("- **Redis-tier hit in alternating slices: `TieredCache.retrieve` vs raw Lettuce "
				+ "`GET`**: 0.500×, goal ≥ 0.8× (the [cache](#cache) table). What the tier does per hit");
		assertThat(report)
			.contains("| 0.500×; JVM CPU per hit: Protevus 20.0 µs, the raw client 10.0 µs | ≥ 0.8× | **no** | 3 |");
	}

	@Test
	void pairedRowsTakeTheMedianOfTheirPairsRatios() throws Exception {
		// The medians, 90 and 200, would give 0.450×; the pairs' ratios are 0.9, 0.3 and
		// 0.6.
		Files.writeString(this.run.resolve("cache-paired.txt"),
				ResultLine.PREFIX + "{\"benchmark\":\"paired-redis\",\"protevusOpsPerSecond\":[90,60,120],"
						+ "\"anchorOpsPerSecond\":[100,200,200],\"protevusCpuMicrosPerOp\":20,"
						+ "\"anchorCpuMicrosPerOp\":10}\n");
		assertThat(generate()).contains("| 0.600×; JVM CPU per hit");
	}

	@Test
	void webRowsWithSeveralJvmsPerAppTakeEachRoundsMeanOverTheJvms() throws Exception {
		// Two rounds in each of two JVMs per app, one JVM after the other. Pairing JVM k
		// with the baseline's JVM k would give ratios of 0.5, 0.5, 1 and 1 (0.750x); the
		// rounds' means are 100 against 150.
		Files.writeString(this.run.resolve("web.txt"),
				ResultLine.PREFIX + "{\"benchmark\":\"web\",\"forks\":2," + "\"apps\":{\"starter\":"
						+ webApp("[100,100,100,100]") + ",\"spring-starters\":" + webApp("[200,200,100,100]") + "}}\n");
		assertThat(generate()).contains("with the same Spring starters | 100 requests/s (100–100) | "
				+ "150 requests/s (150–150) | 0.667× | ≥ 0.95× | **no** | 2 |");
	}

	@Test
	void remoteTierRowsInSeparateForksAreReportedWithoutAGoal() throws Exception {
		jmh("cache.json", "dev.protevus.benchmarks.cache.RedisTierBenchmark", "protevus", "[[50, 50, 50]]", "lettuce",
				"[[100, 100, 100]]");
		String report = generate();
		assertThat(report).contains("vs raw Lettuce `GET`, one after the other | 50.0 ops/s (50.0–50.0) | "
				+ "100 ops/s (100–100) | 0.500× | none (reported) | reported | 3 |");
	}

	@Test
	void rowWithoutResultsSaysWhy() throws Exception {
		Files.writeString(this.run.resolve("notes.tsv"), "queue\tno Redis at 127.0.0.1:6379\n");
		String report = generate();
		assertThat(report).contains("| Queue: publish, consume, ack vs a raw Lettuce `XADD`/`XREADGROUP`/`XACK` loop | "
				+ "not measured: no Redis at 127.0.0.1:6379 |");
		assertThat(report).contains("Goals not measured in this run:");
	}

	@Test
	void resultLinesOfMainProgramsAreRead() throws Exception {
		Files.writeString(this.run.resolve("queue.txt"),
				"Round 1\n" + ResultLine.PREFIX + "{\"benchmark\":\"queue\",\"lettuceJobsPerSecond\":[100,200,300],"
						+ "\"protevusJobsPerSecond\":[80,\"NaN\",240],\"lettuceP99Micros\":[1,2,3],"
						+ "\"protevusP99Micros\":[2,3,4]}\n");
		String report = generate();
		assertThat(report).contains("| 160 jobs/s (80.0–240) | 200 jobs/s (100–300) | 0.800×");
	}

	@Test
	void quickRunIsNamedAsSuch() throws Exception {
		Files.writeString(this.run.resolve("run.properties"), "quick=true\nstart=2026-12-02 11:50\n");
		assertThat(generate()).contains("with **`--quick`**").contains("from the run of 2026-12-02 11:50");
	}

	private String generate() throws Exception {
		Path report = this.run.resolve("report").resolve("performance.md");
		Files.createDirectories(report.getParent());
		PerformanceReport.main(new String[] { this.run.toString(), report.toString() });
		return Files.readString(report, StandardCharsets.UTF_8);
	}

	private void jmh(String file, String benchmark, String protevus, String protevusData, String anchor,
			String anchorData) throws IOException {
		Files.writeString(this.run.resolve(file), "[" + result(benchmark + "." + protevus, protevusData) + ","
				+ result(benchmark + "." + anchor, anchorData) + "]");
	}

	private static String webApp(String requestsPerSecond) {
		return "{\"requestsPerSecond\":" + requestsPerSecond + ",\"cpuMicrosPerRequest\":[50,50,50,50],"
				+ "\"bytesAllocatedPerRequest\":[900,900,900,900]}";
	}

	private static String result(String benchmark, String rawData) {
		return "{\"benchmark\":\"" + benchmark + "\",\"params\":{},\"primaryMetric\":{\"scoreUnit\":\"ops/s\","
				+ "\"rawData\":" + rawData + "}}";
	}

}
