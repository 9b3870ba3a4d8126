package dev.protevus.boot.autoconfigure.queue;

import dev.protevus.boot.autoconfigure.redis.RedisUsage;

import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when queues use Redis: {@code protevus.queue.driver=redis}, or no driver set
 * and Redis in use as {@link RedisUsage} decides. An unknown driver does not match; the
 * memory configuration then reports it.
 */
class RedisQueueDriverCondition extends SpringBootCondition {

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		ConditionMessage.Builder message = ConditionMessage.forCondition("Redis queue driver");
		Environment environment = context.getEnvironment();
		String value = environment.getProperty(QueueDriver.PROPERTY);
		if (QueueDriver.isUnknown(value)) {
			return ConditionOutcome.noMatch(message.because(QueueDriver.PROPERTY + " names no driver"));
		}
		if (value != null && !value.isBlank()) {
			boolean redis = QueueDriver.of(environment) == QueueDriver.REDIS;
			return new ConditionOutcome(redis, message.because(QueueDriver.PROPERTY + " is " + value.trim()));
		}
		RedisUsage usage = RedisUsage.of(environment);
		return new ConditionOutcome(usage.inUse(), message.because(usage.reason()));
	}

}
