package dev.protevus.boot.autoconfigure.data;

import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when N+1 detection is on: {@code protevus.data.n-plus-one} set to anything but
 * {@code off}. What only the detector needs, such as a statement scope per web request,
 * then costs requests nothing while it is off, as it is by default outside tests and
 * devtools. A value that names no mode matches, so that binding the properties reports
 * it.
 */
class NPlusOneDetectionCondition extends SpringBootCondition {

	static final String PROPERTY = "protevus.data.n-plus-one";

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		ConditionMessage.Builder message = ConditionMessage.forCondition("N+1 detection");
		String value = context.getEnvironment().getProperty(PROPERTY);
		if (value == null || value.isBlank()) {
			return ConditionOutcome.noMatch(message.because(PROPERTY + " is not set (off)"));
		}
		boolean off = value.trim().equalsIgnoreCase(DataProperties.NPlusOne.OFF.name());
		return new ConditionOutcome(!off, message.because(PROPERTY + " is " + value.trim()));
	}

}
