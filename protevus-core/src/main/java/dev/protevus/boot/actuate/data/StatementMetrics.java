package dev.protevus.boot.actuate.data;

import dev.protevus.boot.data.statement.StatementObserver;
import dev.protevus.boot.data.statement.StatementText;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Times every statement as {@code protevus.data.statements}, tagged with its {@code type}
 * (select, insert, update, delete, other) and {@code outcome} (success, error). An
 * observer of {@link dev.protevus.boot.data.statement.ObservedStatements}.
 *
 * @since 0.1.0
 */
public class StatementMetrics implements StatementObserver {

	/**
	 * The timer's name.
	 */
	public static final String METER = "protevus.data.statements";

	private final MeterRegistry registry;

	private final Map<String, Timer> timers = new ConcurrentHashMap<>();

	/**
	 * Creates the statement timer.
	 * @param registry where the timer is registered
	 */
	public StatementMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void executed(String sql, Duration duration, boolean success, boolean bound) {
		String type = StatementText.type(sql);
		String outcome = success ? "success" : "error";
		this.timers
			.computeIfAbsent(type + ":" + outcome,
					(key) -> Timer.builder(METER)
						.description("Statements executed through the application's connection factory")
						.tag("type", type)
						.tag("outcome", outcome)
						.register(this.registry))
			.record(duration);
	}

}
