package dev.protevus.boot.data.statement;

import dev.protevus.boot.data.NPlusOneQueryException;
import dev.protevus.boot.data.StatementScope;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.util.context.ContextView;

import org.springframework.util.Assert;

/**
 * Counts statements per shape within each {@link StatementScope} (one per web request)
 * and reports a shape that runs more often than the threshold, the signature of a
 * relation loaded one row at a time: a warning once per shape and scope, or, in fail
 * mode, an {@link NPlusOneQueryException} from the statement that crossed the threshold.
 * Statements outside a scope are not counted.
 *
 * @since 0.1.0
 */
public class NPlusOneDetector implements StatementObserver {

	private static final Log logger = LogFactory.getLog("dev.protevus.boot.data.NPlusOne");

	private final int threshold;

	private final boolean fail;

	/**
	 * Creates a detector.
	 * @param threshold how many executions of one shape within one scope are still fine
	 * @param fail whether to fail the statement that crosses the threshold rather than
	 * log a warning
	 */
	public NPlusOneDetector(int threshold, boolean fail) {
		Assert.isTrue(threshold > 0, () -> "threshold must be positive but was " + threshold);
		this.threshold = threshold;
		this.fail = fail;
	}

	@Override
	public void executing(String sql, ContextView context) {
		StatementScope scope = StatementScope.of(context);
		if (scope == null) {
			return;
		}
		String shape = StatementText.shape(sql);
		int executions = scope.record(shape);
		if (executions > this.threshold) {
			String message = "Possible N+1 queries: statement ran " + executions + " times in " + scope.name()
					+ " (threshold " + this.threshold + "): " + shape
					+ ". Load the relation in one query, for example with Relations#load or Relations#lazy.";
			if (this.fail) {
				throw new NPlusOneQueryException(message);
			}
			if (scope.firstReport(shape)) {
				logger.warn(message);
			}
		}
	}

}
