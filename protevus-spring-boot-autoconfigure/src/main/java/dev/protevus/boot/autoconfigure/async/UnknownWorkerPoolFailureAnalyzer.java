package dev.protevus.boot.autoconfigure.async;

import dev.protevus.boot.async.UnknownWorkerPoolException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a start-up failure caused by code, such as an {@code @Offload} method, that
 * names a worker pool which is not configured.
 */
class UnknownWorkerPoolFailureAnalyzer extends AbstractFailureAnalyzer<UnknownWorkerPoolException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, UnknownWorkerPoolException cause) {
		String key = AsyncSettings.PREFIX + "pools." + cause.getPool();
		return new FailureAnalysis(
				"Protevus cannot start. " + cause.getMessage() + ".", "Configure the pool under '" + key
						+ "' (for example '" + key + ".threads=4'), or change the code to use an existing pool.",
				cause);
	}

}
