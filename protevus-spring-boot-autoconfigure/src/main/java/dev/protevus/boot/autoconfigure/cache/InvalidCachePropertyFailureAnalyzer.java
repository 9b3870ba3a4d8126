package dev.protevus.boot.autoconfigure.cache;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a start-up failure caused by an invalid {@code protevus.cache.*} property: which
 * property, why, and what to set instead.
 */
class InvalidCachePropertyFailureAnalyzer extends AbstractFailureAnalyzer<InvalidCachePropertyException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidCachePropertyException cause) {
		return new FailureAnalysis("Protevus caching cannot start. " + cause.getMessage() + ".", cause.getAction(),
				cause);
	}

}
