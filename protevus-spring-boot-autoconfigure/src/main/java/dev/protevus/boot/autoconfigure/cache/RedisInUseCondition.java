package dev.protevus.boot.autoconfigure.cache;

import dev.protevus.boot.autoconfigure.redis.RedisUsage;

import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when the application uses Redis, by configuring a connection or asking for the
 * redis tier; Boot's default {@code localhost} connection factory alone does not count.
 */
class RedisInUseCondition extends SpringBootCondition {

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		ConditionMessage.Builder message = ConditionMessage.forCondition("Redis in use");
		if (RedisUsage.isConfigured(context.getEnvironment())) {
			return ConditionOutcome.match(message.because("a Redis connection or the redis cache tier is configured"));
		}
		return ConditionOutcome
			.noMatch(message.because("neither spring.data.redis connection keys nor the redis cache tier are set"));
	}

}
