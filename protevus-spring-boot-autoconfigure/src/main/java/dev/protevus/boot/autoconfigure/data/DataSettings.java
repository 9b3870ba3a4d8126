package dev.protevus.boot.autoconfigure.data;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.protevus.boot.autoconfigure.InvalidPropertyException;
import dev.protevus.boot.autoconfigure.PropertyChecks;
import dev.protevus.boot.data.relation.RelationSettings;
import io.r2dbc.spi.ConnectionFactoryOptions;

import org.springframework.lang.Nullable;
import org.springframework.util.StringUtils;

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

	private final List<ConnectionFactoryOptions> replicas;

	private final Duration replicaMaxLag;

	private final Duration replicaCheckInterval;

	private final Duration replicaCheckTimeout;

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
		this.replicas = replicas(properties.getReplicas());
		this.replicaMaxLag = PropertyChecks.notNegative(PREFIX + "replica-max-lag", properties.getReplicaMaxLag(),
				"10s", "takes reads only on replicas that have replayed all they received");
		this.replicaCheckInterval = PropertyChecks.positive(PREFIX + "replica-check-interval",
				properties.getReplicaCheckInterval(), "2s");
		this.replicaCheckTimeout = PropertyChecks.positive(PREFIX + "replica-check-timeout",
				properties.getReplicaCheckTimeout(), "1s");
	}

	private static List<ConnectionFactoryOptions> replicas(@Nullable List<String> urls) {
		List<ConnectionFactoryOptions> replicas = new ArrayList<>();
		if (urls == null) {
			return replicas;
		}
		for (int i = 0; i < urls.size(); i++) {
			replicas.add(replica(PREFIX + "replicas[" + i + "]", urls.get(i)));
		}
		return replicas;
	}

	private static ConnectionFactoryOptions replica(String property, @Nullable String url) {
		String action = "Set '" + property + "' to the R2DBC URL of a replica, such as "
				+ "r2dbc:postgresql://replica-1:5432/app; its pool is configured by spring.r2dbc.pool.*.";
		if (!StringUtils.hasText(url)) {
			throw new InvalidPropertyException(property, url, "it is empty", action);
		}
		ConnectionFactoryOptions options;
		try {
			options = ConnectionFactoryOptions.parse(url.strip());
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidPropertyException(property, masked(url),
					"it is not an R2DBC URL (" + masked(String.valueOf(ex.getMessage())) + ")", action);
		}
		Object driver = options.getValue(ConnectionFactoryOptions.DRIVER);
		if ("pool".equals(driver)) {
			throw new InvalidPropertyException(property, masked(url),
					"a replica's pool is configured by spring.r2dbc.pool.*, not by its URL",
					"Remove 'pool:' from '" + property + "', as in r2dbc:postgresql://replica-1:5432/app.");
		}
		return options;
	}

	/**
	 * A URL with its password, if any, replaced, for messages.
	 */
	static String masked(String url) {
		return url.replaceAll("(//[^/@:\\s]*:)[^/@\\s]*@", "$1******@");
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

	/**
	 * The read replicas' connection options, as their URLs give them.
	 */
	List<ConnectionFactoryOptions> replicas() {
		return this.replicas;
	}

	Duration replicaMaxLag() {
		return this.replicaMaxLag;
	}

	Duration replicaCheckInterval() {
		return this.replicaCheckInterval;
	}

	Duration replicaCheckTimeout() {
		return this.replicaCheckTimeout;
	}

}
