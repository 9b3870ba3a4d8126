package dev.protevus.boot.autoconfigure.data;

import java.util.List;

import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Whether {@code protevus.data.replicas} names at least one replica, as a YAML list, an
 * indexed property or a comma-separated value.
 */
class ReplicasConfiguredCondition extends SpringBootCondition {

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		ConditionMessage.Builder message = ConditionMessage.forCondition("Read replicas");
		List<String> replicas = Binder.get(context.getEnvironment())
			.bind("protevus.data.replicas", Bindable.listOf(String.class))
			.orElse(List.of());
		if (replicas.isEmpty()) {
			return ConditionOutcome.noMatch(message.because("protevus.data.replicas is empty"));
		}
		return ConditionOutcome.match(message.foundExactly(replicas.size() + " in protevus.data.replicas"));
	}

}
