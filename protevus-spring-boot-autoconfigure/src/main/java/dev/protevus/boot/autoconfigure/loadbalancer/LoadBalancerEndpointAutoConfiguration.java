package dev.protevus.boot.autoconfigure.loadbalancer;

import dev.protevus.boot.actuate.loadbalancer.LoadBalancerEndpoint;
import dev.protevus.boot.autoconfigure.ConditionalOnProtevusEnabled;
import dev.protevus.boot.loadbalancer.LoadBalancerRegistry;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The {@code loadbalancer} actuator endpoint, when it is enabled and exposed.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = ProtevusLoadBalancerAutoConfiguration.class)
@ConditionalOnProtevusEnabled
@ConditionalOnBooleanProperty(name = "protevus.loadbalancer.enabled", matchIfMissing = true)
@ConditionalOnClass({ ConditionalOnAvailableEndpoint.class, LoadBalancerRegistry.class })
@ConditionalOnAvailableEndpoint(LoadBalancerEndpoint.class)
public class LoadBalancerEndpointAutoConfiguration {

	@Bean
	@ConditionalOnBean(LoadBalancerRegistry.class)
	@ConditionalOnMissingBean
	LoadBalancerEndpoint loadBalancerEndpoint(LoadBalancerRegistry registry) {
		return new LoadBalancerEndpoint(registry);
	}

}
