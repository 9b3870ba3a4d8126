package dev.protevus.boot.scaling;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class VerticalScalingRecommenderTests {

	private static final long MIB = 1024 * 1024;

	private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

	private static final ResourceLimits LIMITS = new ResourceLimits(2, 2048 * MIB, ResourceLimits.CGROUP_V2);

	@Test
	void aPercentileIsTheUpperEndOfItsBucket() {
		DecayingHistogram histogram = new DecayingHistogram(0.01, 1.05, 100, Duration.ofHours(24));
		for (int i = 1; i <= 100; i++) {
			histogram.add(i / 100.0, 1, NOW);
		}
		assertThat(histogram.percentile(0.5)).isBetween(0.50, 0.50 * 1.05 + 0.01);
		assertThat(histogram.percentile(0.9)).isBetween(0.90, 0.90 * 1.05 + 0.01);
		assertThat(histogram.percentile(0.95)).isBetween(0.95, 0.95 * 1.05 + 0.01);
		assertThat(histogram.percentile(1.0)).isBetween(1.0, 1.0 * 1.05 + 0.01);
	}

	@Test
	void anEmptyHistogramHasNoPercentile() {
		assertThat(new DecayingHistogram(0.01, 1.05, 100, Duration.ofHours(1)).percentile(0.9)).isNaN();
	}

	@Test
	void oldUsageFadesWithTheHalfLife() {
		DecayingHistogram histogram = new DecayingHistogram(0.01, 1.05, 100, Duration.ofHours(24));
		Instant weekAgo = NOW.minus(Duration.ofDays(7));
		for (int i = 0; i < 100; i++) {
			histogram.add(1.0, 1, weekAgo);
		}
		for (int i = 0; i < 100; i++) {
			histogram.add(0.2, 1, NOW);
		}
		// A week is seven half-lives: the old samples weigh 1/128 each, under 1% in all.
		assertThat(histogram.percentile(0.9)).isBetween(0.2, 0.2 * 1.05 + 0.01);
		assertThat(histogram.percentile(0.999)).isGreaterThanOrEqualTo(1.0);
	}

	@Test
	void keepsItsWeightsFiniteOverAYearOfSamples() {
		DecayingHistogram histogram = new DecayingHistogram(0.01, 1.05, 100, Duration.ofHours(1));
		for (int hour = 0; hour < 24 * 365; hour++) {
			histogram.add((hour % 10) / 10.0 + 0.05, 1, NOW.plus(Duration.ofHours(hour)));
		}
		assertThat(histogram.percentile(0.5)).isFinite().isPositive();
	}

	@Test
	void recommendsTheTargetPercentilePlusTheMarginForRequestsAndTheUpperBoundForLimits() {
		VerticalRecommender recommender = new VerticalRecommender(unused(), LIMITS,
				VerticalRecommender.Settings.DEFAULTS, new MutableClock(NOW, ZoneOffset.UTC));
		// Recorded series: CPU uniform over 0.01 .. 1.00 cores; memory 400 MiB nine
		// samples out of ten, 1 GiB the tenth; all at one time, so that none weighs more.
		for (int i = 1; i <= 100; i++) {
			recommender.record(i / 100.0, (i % 10 == 0) ? 1024 * MIB : 400 * MIB, NOW);
		}
		VerticalRecommendation recommendation = recommender.recommend(Map.of());
		assertThat(recommendation.samples()).isEqualTo(100);
		assertThat(recommendation.requests().cpuCores()).isBetween(0.90 * 1.15, (0.90 * 1.05 + 0.01) * 1.15);
		assertThat(recommendation.limits().cpuCores()).isBetween(0.95 * 1.15, (0.95 * 1.05 + 0.01) * 1.15);
		assertThat(recommendation.requests().memoryBytes()).isBetween((long) (400 * MIB * 1.15),
				(long) ((400 * MIB * 1.05 + 1e7) * 1.15));
		assertThat(recommendation.limits().memoryBytes()).isBetween((long) (1024 * MIB * 1.15),
				(long) ((1024 * MIB * 1.05 + 1e7) * 1.15));
		assertThat(recommendation.cpuPercentile()).isEqualTo(0.9);
		assertThat(recommendation.safetyMargin()).isEqualTo(0.15);
		assertThat(recommendation.current()).isEqualTo(LIMITS);
	}

	@Test
	void neverRecommendsLessThanTheVpasMinimums() {
		VerticalRecommender recommender = new VerticalRecommender(unused(), LIMITS,
				VerticalRecommender.Settings.DEFAULTS, new MutableClock(NOW, ZoneOffset.UTC));
		recommender.record(0.001, 20 * MIB, NOW);
		VerticalRecommendation recommendation = recommender.recommend(Map.of());
		assertThat(recommendation.requests().cpuCores()).isEqualTo(0.025, within(1e-9));
		assertThat(recommendation.requests().memoryBytes()).isEqualTo(250 * MIB);
	}

	@Test
	void samplesTheUsageItIsGiven() {
		ResourceUsage usage = new ResourceUsage() {

			@Override
			public double cpuCores() {
				return 0.5;
			}

			@Override
			public long memoryBytes() {
				return 600 * MIB;
			}

		};
		VerticalRecommender recommender = new VerticalRecommender(usage, LIMITS, VerticalRecommender.Settings.DEFAULTS,
				new MutableClock(NOW, ZoneOffset.UTC));
		VerticalRecommendation recommendation = recommender.sample(Map.of());
		assertThat(recommendation.requests().cpuCores()).isBetween(0.5 * 1.15, (0.5 * 1.05 + 0.01) * 1.15);
		assertThat(recommendation.requests().memoryBytes()).isBetween((long) (600 * MIB * 1.15),
				(long) ((600 * MIB * 1.05 + 1e7) * 1.15));
	}

	@Test
	void theJvmsUsageIsMeasurable() {
		assertThat(ResourceUsage.jvm().memoryBytes()).isPositive();
	}

	@Test
	void hintsNameTheConstraint() {
		VerticalRecommender recommender = new VerticalRecommender(unused(), LIMITS,
				VerticalRecommender.Settings.DEFAULTS, new MutableClock(NOW, ZoneOffset.UTC));
		assertThat(recommender.recommend(Map.of("heap-after-gc", 0.92, "cpu", 0.2)).hints())
			.extracting(VerticalRecommendation.Hint::constraint)
			.containsExactly("memory");
		assertThat(recommender.recommend(Map.of("cpu", 0.95, "pool-utilization", 0.1)).hints())
			.extracting(VerticalRecommendation.Hint::constraint)
			.containsExactly("cpu");
		assertThat(recommender.recommend(Map.of("cpu", 0.95)).hints())
			.extracting(VerticalRecommendation.Hint::constraint)
			.containsExactly("cpu");
		assertThat(recommender.recommend(Map.of("cpu", 0.2, "pool-utilization", 1.0, "pool-pending", 12.0)).hints())
			.singleElement()
			.satisfies((hint) -> {
				assertThat(hint.constraint()).isEqualTo("pool");
				assertThat(hint.advice()).contains("read replica", "spring.r2dbc.pool.max-size");
			});
		assertThat(recommender.recommend(Map.of("cpu", 0.6, "pool-utilization", 0.6, "heap-after-gc", 0.5)).hints())
			.isEmpty();
		assertThat(recommender.recommend(Map.of("cpu", 0.95, "pool-utilization", 0.95)).hints())
			.as("CPU and pool both saturated: more replicas, not a bigger box")
			.isEmpty();
	}

	@Test
	void readsCgroupV2Limits(@TempDir Path cgroup) throws IOException {
		Files.writeString(cgroup.resolve("cpu.max"), "150000 100000\n");
		Files.writeString(cgroup.resolve("memory.max"), "1073741824\n");
		assertThat(ResourceLimits.detect(cgroup)).isEqualTo(new ResourceLimits(1.5, 1024 * MIB, "cgroup-v2"));
	}

	@Test
	void readsCgroupV2WithoutACpuLimit(@TempDir Path cgroup) throws IOException {
		Files.writeString(cgroup.resolve("cpu.max"), "max 100000\n");
		Files.writeString(cgroup.resolve("memory.max"), "536870912\n");
		ResourceLimits limits = ResourceLimits.detect(cgroup);
		assertThat(limits.memoryBytes()).isEqualTo(512 * MIB);
		assertThat(limits.cpuCores()).isEqualTo(Runtime.getRuntime().availableProcessors());
	}

	@Test
	void readsCgroupV1Limits(@TempDir Path cgroup) throws IOException {
		Files.createDirectories(cgroup.resolve("cpu"));
		Files.createDirectories(cgroup.resolve("memory"));
		Files.writeString(cgroup.resolve("cpu/cpu.cfs_quota_us"), "50000\n");
		Files.writeString(cgroup.resolve("cpu/cpu.cfs_period_us"), "100000\n");
		Files.writeString(cgroup.resolve("memory/memory.limit_in_bytes"), "268435456\n");
		assertThat(ResourceLimits.detect(cgroup)).isEqualTo(new ResourceLimits(0.5, 256 * MIB, "cgroup-v1"));
	}

	@Test
	void fallsBackToTheJvmsLimits(@TempDir Path cgroup) throws IOException {
		Files.writeString(cgroup.resolve("memory.max"), "max\n");
		assertThat(ResourceLimits.detect(cgroup)).isEqualTo(new ResourceLimits(
				Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory(), "jvm"));
		assertThat(ResourceLimits.detect(cgroup.resolve("missing")).source()).isEqualTo("jvm");
	}

	private static ResourceUsage unused() {
		return new ResourceUsage() {

			@Override
			public double cpuCores() {
				return Double.NaN;
			}

			@Override
			public long memoryBytes() {
				return -1;
			}

		};
	}

}
