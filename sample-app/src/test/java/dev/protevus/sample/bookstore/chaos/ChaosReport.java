package dev.protevus.sample.bookstore.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import static org.assertj.core.api.Assertions.fail;

/**
 * What one chaos scenario measured and whether each of its bounds held, written as a JSON
 * fragment under {@code target/chaos/} for {@link ChaosReliabilityReportTests} to
 * assemble into {@code docs/reliability.md}. Every check is recorded before the scenario
 * fails, so a failed run still reports its figures.
 */
final class ChaosReport {

	static final Path DIRECTORY = Path.of("target", "chaos");

	private final String number;

	private final String title;

	private final String setup;

	private final long started = System.nanoTime();

	private final Map<String, String> figures = new LinkedHashMap<>();

	private final List<Check> checks = new ArrayList<>();

	private ChaosReport(String number, String title, String setup) {
		this.number = number;
		this.title = title;
		this.setup = setup;
	}

	static ChaosReport scenario(String number, String title, String setup) {
		return new ChaosReport(number, title, setup);
	}

	ChaosReport figure(String name, Object value) {
		this.figures.put(name, format(value));
		return this;
	}

	/**
	 * Records whether a bound of the issue held, with the figure it was judged on.
	 */
	ChaosReport check(String bound, boolean held, Object measured) {
		this.checks.add(new Check(bound, format(measured), held));
		return this;
	}

	/**
	 * Writes the fragment, then fails the test when a bound did not hold.
	 */
	void writeAndAssert() {
		Map<String, Object> fragment = new LinkedHashMap<>();
		fragment.put("number", this.number);
		fragment.put("title", this.title);
		fragment.put("setup", this.setup);
		fragment.put("measuredAt",
				java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
		fragment.put("durationSeconds",
				Math.round(ChaosInstances.elapsedSince(this.started).toMillis() / 100.0) / 10.0);
		fragment.put("passed", this.checks.stream().allMatch(Check::held));
		fragment.put("checks", this.checks);
		fragment.put("figures", this.figures);
		try {
			Files.createDirectories(DIRECTORY);
			new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
				.writeValue(DIRECTORY.resolve("scenario-" + this.number + ".json").toFile(), fragment);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		List<Check> failed = this.checks.stream().filter((check) -> !check.held()).toList();
		if (!failed.isEmpty()) {
			fail("Scenario " + this.number + " (" + this.title + ") missed its bounds: " + failed + "; figures: "
					+ this.figures);
		}
	}

	static String format(Object value) {
		if (value instanceof Duration duration) {
			return millis(duration.toNanos() / 1_000_000.0);
		}
		if (value instanceof Double number) {
			return String.format(Locale.ROOT, "%.1f", number);
		}
		return String.valueOf(value);
	}

	static String millis(double millis) {
		return String.format(Locale.ROOT, "%.1f ms", millis);
	}

	record Check(String bound, String measured, boolean held) {

		@Override
		public String toString() {
			return this.bound + " (measured " + this.measured + ")";
		}

	}

}
