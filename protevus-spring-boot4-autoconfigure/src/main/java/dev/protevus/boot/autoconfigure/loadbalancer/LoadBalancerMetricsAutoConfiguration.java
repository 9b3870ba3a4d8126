package dev.protevus.boot.autoconfigure.loadbalancer;

import dev.protevus.boot.autoconfigure.ConditionalOnProtevusEnabled;
import dev.protevus.boot.loadbalancer.LoadBalancerRegistry;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.context.annotation.Import;

/**
 * Meters of the load-balanced instances, bound once the registry exists.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = { MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
		ProtevusLoadBalancerAutoConfiguration.class })
@ConditionalOnProtevusEnabled
@ConditionalOnBooleanProperty(name = "protevus.loadbalancer.enabled", matchIfMissing = true)
@ConditionalOnClass({ MeterRegistry.class, MetricsAutoConfiguration.class, LoadBalancerRegistry.class })
@ConditionalOnBean({ MeterRegistry.class, LoadBalancerRegistry.class })
@Import(LoadBalancerConfigurations.MetricsConfiguration.class)
public class LoadBalancerMetricsAutoConfiguration {

}
