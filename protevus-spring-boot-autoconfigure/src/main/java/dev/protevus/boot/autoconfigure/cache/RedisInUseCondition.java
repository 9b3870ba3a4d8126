package dev.protevus.boot.autoconfigure.cache;

import dev.protevus.boot.autoconfigure.redis.RedisUsage;

import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when the application uses Redis as {@link RedisUsage} decides: by configuring a
 * connection or asking for the redis tier; Boot's default {@code localhost} connection
 * factory alone does not count.
 */
class RedisInUseCondition extends SpringBootCondition {

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		ConditionMessage.Builder message = ConditionMessage.forCondition("Redis in use");
		RedisUsage usage = RedisUsage.of(context.getEnvironment());
		return new ConditionOutcome(usage.inUse(), message.because(usage.reason()));
	}

}
