package dev.protevus.boot.autoconfigure.data;

import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Whether the {@code r2dbcPool} health indicator is on:
 * {@code management.health.r2dbc-pool.enabled}, spelled in kebab case like every Spring
 * Boot key, or {@code management.health.r2dbcPool.enabled}, the indicator's name, which
 * earlier versions documented; else {@code management.health.defaults.enabled}.
 */
class PoolHealthIndicatorEnabledCondition extends SpringBootCondition {

	static final String KEY = "management.health.r2dbc-pool.enabled";

	static final String CAMEL_CASE_KEY = "management.health.r2dbcPool.enabled";

	private static final String DEFAULTS_KEY = "management.health.defaults.enabled";

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		ConditionMessage.Builder message = ConditionMessage.forCondition("r2dbcPool health indicator");
		Environment environment = context.getEnvironment();
		for (String key : new String[] { KEY, CAMEL_CASE_KEY, DEFAULTS_KEY }) {
			if (environment.containsProperty(key)) {
				boolean enabled = environment.getProperty(key, Boolean.class, true);
				return new ConditionOutcome(enabled, message.because(key + " is " + enabled));
			}
		}
		return ConditionOutcome.match(message.because("enabled by default"));
	}

}
