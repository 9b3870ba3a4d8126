package dev.protevus.benchmarks.report;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The machine-readable result of a benchmark's main program: one line on standard output,
 * {@code RESULT} and a JSON object, which {@link PerformanceReport} reads back from the
 * program's saved output.
 *
 * @since 0.1.0
 */
public final class ResultLine {

	/**
	 * What starts a result line.
	 */
	public static final String PREFIX = "RESULT ";

	private static final ObjectMapper JSON = new ObjectMapper();

	private ResultLine() {
	}

	/**
	 * Prints one result line.
	 * @param benchmark the program's name, the object's {@code benchmark} field
	 * @param fields the figures; arrays of rounds are kept whole
	 */
	public static void print(String benchmark, Map<String, ?> fields) {
		Map<String, Object> line = new LinkedHashMap<>();
		line.put("benchmark", benchmark);
		line.putAll(fields);
		try {
			System.out.println(PREFIX + JSON.writeValueAsString(line));
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException(ex);
		}
		System.out.flush();
	}

}
