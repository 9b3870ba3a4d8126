package dev.protevus.boot.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a start-up failure caused by an invalid {@code protevus.*} property: which
 * property, why, and what to set instead.
 */
class InvalidPropertyFailureAnalyzer extends AbstractFailureAnalyzer<InvalidPropertyException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidPropertyException cause) {
		return new FailureAnalysis("Protevus cannot start. " + cause.getMessage() + ".", cause.getAction(), cause);
	}

}
