package dev.protevus.boot.autoconfigure.data;

import dev.protevus.boot.autoconfigure.data.DataProperties.NPlusOne;

import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when N+1 detection is on: {@code protevus.data.n-plus-one} binds, as
 * {@link DataProperties} binds it, to a mode other than {@code off} (so YAML's unquoted
 * {@code off}, read as {@code false}, is off here too). What only the detector needs,
 * such as a statement scope per web request, then costs requests nothing while it is off,
 * as it is by default outside tests and devtools. A value that names no mode matches, so
 * that binding the properties reports it.
 */
class NPlusOneDetectionCondition extends SpringBootCondition {

	private static final String PROPERTY = "protevus.data.n-plus-one";

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		ConditionMessage.Builder message = ConditionMessage.forCondition("N+1 detection");
		NPlusOne mode;
		try {
			mode = Binder.get(context.getEnvironment()).bind(PROPERTY, NPlusOne.class).orElse(NPlusOne.OFF);
		}
		catch (BindException ex) {
			return ConditionOutcome.match(message.because(PROPERTY + " names no mode; binding reports it"));
		}
		return new ConditionOutcome(mode != NPlusOne.OFF, message.because(PROPERTY + " is " + mode));
	}

}
