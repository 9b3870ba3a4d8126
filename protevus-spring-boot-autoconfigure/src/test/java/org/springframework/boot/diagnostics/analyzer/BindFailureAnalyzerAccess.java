package org.springframework.boot.diagnostics.analyzer;

import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reaches Spring Boot's package-private {@code BindFailureAnalyzer}, which explains binding
 * failures such as an unknown enum value, so tests can assert what a user would read.
 */
public final class BindFailureAnalyzerAccess {

	public FailureAnalysis analyze(Throwable failure) {
		return new BindFailureAnalyzer().analyze(failure);
	}

}
