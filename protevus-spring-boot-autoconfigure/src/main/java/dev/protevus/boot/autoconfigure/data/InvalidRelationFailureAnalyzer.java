package dev.protevus.boot.autoconfigure.data;

import dev.protevus.boot.data.relation.InvalidRelationException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a relation declaration that cannot work: which entity and property, what is
 * wrong, and how to fix the annotation or registration.
 */
class InvalidRelationFailureAnalyzer extends AbstractFailureAnalyzer<InvalidRelationException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidRelationException cause) {
		return new FailureAnalysis(cause.getMessage(), cause.getAction(), cause);
	}

}
