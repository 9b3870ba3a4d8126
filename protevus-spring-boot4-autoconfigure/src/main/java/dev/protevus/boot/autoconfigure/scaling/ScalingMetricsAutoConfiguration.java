package dev.protevus.boot.autoconfigure.scaling;

import dev.protevus.boot.autoconfigure.ConditionalOnProtevusEnabled;
import dev.protevus.boot.scaling.ScalingAdvisor;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.context.annotation.Import;

/**
 * The scaling gauges {@code protevus.scaling.desired.replicas} and
 * {@code protevus.scaling.utilization}, bound once the registry and the advisor exist.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = { MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
		ScalingAutoConfiguration.class })
@ConditionalOnProtevusEnabled
@ConditionalOnBooleanProperty(name = "protevus.scaling.enabled", matchIfMissing = true)
@ConditionalOnClass({ MeterRegistry.class, MetricsAutoConfiguration.class, ScalingAdvisor.class })
@ConditionalOnBean({ MeterRegistry.class, ScalingAdvisor.class })
@Import(ScalingConfigurations.MetricsConfiguration.class)
public class ScalingMetricsAutoConfiguration {

}
