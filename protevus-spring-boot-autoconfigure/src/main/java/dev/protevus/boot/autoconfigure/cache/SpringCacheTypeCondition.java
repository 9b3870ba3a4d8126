package dev.protevus.boot.autoconfigure.cache;

import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when {@code spring.cache.type} is not set: setting it (to {@code none} or to
 * one of Spring Boot's stores) chooses Boot's own cache configuration instead of
 * Protevus's.
 */
class SpringCacheTypeCondition extends SpringBootCondition {

	private static final String PROPERTY = "spring.cache.type";

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		ConditionMessage.Builder message = ConditionMessage.forCondition("Protevus tiered cache");
		String type = context.getEnvironment().getProperty(PROPERTY);
		if (type == null) {
			return ConditionOutcome.match(message.because(PROPERTY + " is not set"));
		}
		return ConditionOutcome.noMatch(message.because(PROPERTY + " is '" + type + "', choosing Spring Boot's cache"));
	}

}
