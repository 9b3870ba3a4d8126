package dev.protevus.benchmarks.jmh;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.openjdk.jmh.runner.options.Options;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link FamilyRun}'s command line.
 */
class FamilyRunTests {

	@Test
	void eachFamilyKeepsItsOwnOptions() throws Exception {
		List<Options> families = FamilyRun
			.families(new String[] { "EagerLoadBenchmark", "-p", "rttMicros=0,500", "-i", "5", "-rff", "loads.json",
					"--and", "PoolBenchmark", "-p", "rttMicros=direct", "-i", "3", "-rff", "pool.json" });
		assertThat(families).hasSize(2);
		assertThat(families.get(0).getIncludes()).containsExactly("EagerLoadBenchmark");
		assertThat(families.get(0).getParameter("rttMicros").get()).containsExactly("0", "500");
		assertThat(families.get(0).getMeasurementIterations().get()).isEqualTo(5);
		assertThat(families.get(0).getResult().get()).isEqualTo("loads.json");
		assertThat(families.get(1).getIncludes()).containsExactly("PoolBenchmark");
		assertThat(families.get(1).getParameter("rttMicros").get()).containsExactly("direct");
		assertThat(families.get(1).getMeasurementIterations().get()).isEqualTo(3);
		assertThat(families.get(1).getResult().get()).isEqualTo("pool.json");
	}

	@Test
	void oneFamilyWithoutAnd() throws Exception {
		assertThat(FamilyRun.families(new String[] { "MemoryTierBenchmark", "-i", "5" })).hasSize(1);
	}

	@Test
	void aFamilyWithoutOptionsIsRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> FamilyRun.families(new String[] { "MemoryTierBenchmark", "--and" }))
			.withMessageContaining("--and");
		assertThatIllegalArgumentException().isThrownBy(() -> FamilyRun.families(new String[0]));
	}

}
