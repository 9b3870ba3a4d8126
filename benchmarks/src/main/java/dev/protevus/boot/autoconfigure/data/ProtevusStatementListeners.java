package dev.protevus.boot.autoconfigure.data;

import java.time.Duration;
import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import io.r2dbc.spi.ConnectionFactory;

/**
 * Hands the database benchmarks the statement observation that Protevus's
 * auto-configuration puts around the driver's connection factory, which is
 * package-private there: the benchmarks then measure Protevus's own code rather than a
 * look-alike that could drift from it. It lives in the benchmarks module only.
 *
 * @since 0.1.0
 */
public final class ProtevusStatementListeners {

	private ProtevusStatementListeners() {
	}

	/**
	 * The driver's factory as an application with a meter registry has it: statements
	 * observed by the slow-statement log and the {@code protevus.data.statements} timer.
	 * @param driver the driver's connection factory
	 * @param slowQueryThreshold statements at least this slow are logged
	 * @param registry where the timer records
	 * @return the observed factory, to put inside the pool
	 */
	public static ConnectionFactory observe(ConnectionFactory driver, Duration slowQueryThreshold,
			MeterRegistry registry) {
		return new ObservedStatements(driver,
				List.of(new SlowQueryLog(slowQueryThreshold), new StatementMetrics(registry)));
	}

}
