package dev.protevus.boot.autoconfigure.data;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.r2dbc.proxy.core.QueryExecutionInfo;
import io.r2dbc.proxy.listener.ProxyExecutionListener;

/**
 * Times every statement as {@code protevus.data.statements}, tagged with its {@code type}
 * (select, insert, update, delete, other) and {@code outcome} (success, error).
 */
class StatementMetrics implements ProxyExecutionListener {

	static final String METER = "protevus.data.statements";

	private final MeterRegistry registry;

	private final Map<String, Timer> timers = new ConcurrentHashMap<>();

	StatementMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void afterQuery(QueryExecutionInfo execution) {
		String type = execution.getQueries().isEmpty() ? "other"
				: StatementText.type(execution.getQueries().get(0).getQuery());
		String outcome = execution.isSuccess() ? "success" : "error";
		this.timers
			.computeIfAbsent(type + ":" + outcome,
					(key) -> Timer.builder(METER)
						.description("Statements executed through the application's connection factory")
						.tag("type", type)
						.tag("outcome", outcome)
						.register(this.registry))
			.record(execution.getExecuteDuration());
	}

}
