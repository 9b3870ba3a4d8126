package dev.protevus.boot.autoconfigure.scaling;

import dev.protevus.boot.actuate.scaling.ScalingEndpoint;
import dev.protevus.boot.autoconfigure.ConditionalOnProtevusEnabled;
import dev.protevus.boot.scaling.ScalingAdvisor;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The {@code scaling} actuator endpoint, when it is enabled and exposed.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = ScalingAutoConfiguration.class)
@ConditionalOnProtevusEnabled
@ConditionalOnBooleanProperty(name = "protevus.scaling.enabled", matchIfMissing = true)
@ConditionalOnClass({ ConditionalOnAvailableEndpoint.class, ScalingAdvisor.class })
@ConditionalOnAvailableEndpoint(ScalingEndpoint.class)
public class ScalingEndpointAutoConfiguration {

	@Bean
	@ConditionalOnBean(ScalingAdvisor.class)
	@ConditionalOnMissingBean
	ScalingEndpoint scalingEndpoint(ScalingAdvisor advisor) {
		return new ScalingEndpoint(advisor);
	}

}
