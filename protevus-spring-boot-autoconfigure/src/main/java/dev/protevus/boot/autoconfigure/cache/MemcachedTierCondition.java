package dev.protevus.boot.autoconfigure.cache;

import java.util.List;

import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when {@code protevus.cache.memcached.servers} names at least one server, as a
 * list or a comma-separated value.
 */
class MemcachedTierCondition extends SpringBootCondition {

	static final String SERVERS = CacheSettingsResolver.PREFIX + "memcached.servers";

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		ConditionMessage.Builder message = ConditionMessage.forCondition("Memcached servers");
		List<String> servers = Binder.get(context.getEnvironment())
			.bind(SERVERS, Bindable.listOf(String.class))
			.orElse(List.of());
		if (servers.stream().anyMatch((server) -> server != null && !server.isBlank())) {
			return ConditionOutcome.match(message.found("property").items(SERVERS));
		}
		return ConditionOutcome.noMatch(message.didNotFind("property").items(SERVERS));
	}

}
