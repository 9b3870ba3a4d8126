package dev.protevus.boot.autoconfigure.data;

import java.time.Duration;
import java.util.stream.Collectors;

import io.r2dbc.proxy.core.QueryExecutionInfo;
import io.r2dbc.proxy.core.QueryInfo;
import io.r2dbc.proxy.listener.ProxyExecutionListener;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Logs statements that took longer than a threshold, with their SQL but never their bound
 * values: parameters often hold personal data or secrets.
 */
class SlowQueryLog implements ProxyExecutionListener {

	private static final Log logger = LogFactory.getLog("dev.protevus.boot.data.SlowQuery");

	private final Duration threshold;

	SlowQueryLog(Duration threshold) {
		this.threshold = threshold;
	}

	@Override
	public void afterQuery(QueryExecutionInfo execution) {
		Duration took = execution.getExecuteDuration();
		if (took.compareTo(this.threshold) >= 0 && logger.isWarnEnabled()) {
			String sql = execution.getQueries()
				.stream()
				.map(QueryInfo::getQuery)
				.map(StatementText::loggable)
				.collect(Collectors.joining("; "));
			int bindings = Math.max(execution.getBindingsSize(), 0);
			logger.warn("Slow statement (" + took.toMillis() + " ms, threshold " + this.threshold.toMillis() + " ms"
					+ (execution.isSuccess() ? "" : ", failed") + "): " + sql
					+ ((bindings > 0) ? " [" + bindings + " binding set(s), values masked]" : ""));
		}
	}

}
