package dev.protevus.boot.autoconfigure;

import java.util.List;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.core.io.support.SpringFactoriesLoader.ArgumentResolver;

/**
 * Explains a start-up failure as Spring Boot would print it: every failure analyzer
 * registered in {@code spring.factories} (Protevus's and Boot's) is asked in turn, so
 * tests assert what a user would read rather than what one analyzer says.
 */
public final class StartupFailures {

	private static final List<FailureAnalyzer> ANALYZERS = SpringFactoriesLoader
		.forDefaultResourceLocation(StartupFailures.class.getClassLoader())
		.load(FailureAnalyzer.class, ArgumentResolver.none(), (factoryType, implementationName, failure) -> {
			// Analyzers that need the bean factory or environment are not needed for
			// these tests.
		});

	private StartupFailures() {
	}

	/**
	 * The analysis Spring Boot would print for a failure.
	 * @param failure the start-up failure
	 * @return the first analyzer's analysis, or {@code null} if none explains it
	 */
	public static FailureAnalysis analyze(Throwable failure) {
		for (FailureAnalyzer analyzer : ANALYZERS) {
			FailureAnalysis analysis = analyzer.analyze(failure);
			if (analysis != null) {
				return analysis;
			}
		}
		return null;
	}

}
