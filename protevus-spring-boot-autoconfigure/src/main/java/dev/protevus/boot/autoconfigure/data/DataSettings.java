package dev.protevus.boot.autoconfigure.data;

import java.time.Duration;

import dev.protevus.boot.autoconfigure.PropertyChecks;
import dev.protevus.boot.data.relation.RelationSettings;

import org.springframework.lang.Nullable;

/**
 * The {@code protevus.data.*} values the runtime uses, each checked at start-up so that a
 * value that cannot work fails with the property's name rather than later, or with a
 * message that names a constructor parameter.
 */
final class DataSettings {

	private static final String PREFIX = "protevus.data.";

	private final RelationSettings relations;

	@Nullable
	private final Duration slowQueryThreshold;

	private final int nPlusOneThreshold;

	@Nullable
	private final Duration leakDetectionThreshold;

	@Nullable
	private final Duration statementTimeout;

	private final int paginationMaxLimit;

	DataSettings(DataProperties properties) {
		DataProperties.Relations relations = properties.getRelations();
		String prefix = PREFIX + "relations.";
		this.relations = new RelationSettings(
				(int) PropertyChecks.positive(prefix + "chunk-size", relations.getChunkSize(), "500"),
				PropertyChecks.positive(prefix + "lazy-batch-window", relations.getLazyBatchWindow(), "2ms"),
				(int) PropertyChecks.positive(prefix + "lazy-max-batch-size", relations.getLazyMaxBatchSize(), "500"));
		Duration slow = PropertyChecks.notNegative(PREFIX + "slow-query-threshold", properties.getSlowQueryThreshold(),
				"200ms", "logs no statement");
		this.slowQueryThreshold = slow.isZero() ? null : slow;
		this.nPlusOneThreshold = (int) PropertyChecks.positive(PREFIX + "n-plus-one-threshold",
				properties.getNPlusOneThreshold(), "10");
		Duration leak = properties.getPool().getLeakDetectionThreshold();
		this.leakDetectionThreshold = (leak != null)
				? PropertyChecks.positive(PREFIX + "pool.leak-detection-threshold", leak, "30s") : null;
		Duration statementTimeout = properties.getStatementTimeout();
		this.statementTimeout = (statementTimeout != null)
				? PropertyChecks.positive(PREFIX + "statement-timeout", statementTimeout, "30s") : null;
		this.paginationMaxLimit = (int) PropertyChecks.positive(PREFIX + "pagination.max-limit",
				properties.getPagination().getMaxLimit(), "1000");
	}

	RelationSettings relations() {
		return this.relations;
	}

	/**
	 * Statements at least this slow are logged; {@code null} when none are.
	 */
	@Nullable
	Duration slowQueryThreshold() {
		return this.slowQueryThreshold;
	}

	int nPlusOneThreshold() {
		return this.nPlusOneThreshold;
	}

	/**
	 * Connections held longer are reported; {@code null} when leak detection is off.
	 */
	@Nullable
	Duration leakDetectionThreshold() {
		return this.leakDetectionThreshold;
	}

	/**
	 * How long a statement may run; {@code null} when statements are not timed.
	 */
	@Nullable
	Duration statementTimeout() {
		return this.statementTimeout;
	}

	int paginationMaxLimit() {
		return this.paginationMaxLimit;
	}

}
