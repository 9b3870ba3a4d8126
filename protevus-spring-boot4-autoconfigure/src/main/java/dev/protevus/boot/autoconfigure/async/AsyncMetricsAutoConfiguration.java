package dev.protevus.boot.autoconfigure.async;

import dev.protevus.boot.autoconfigure.ConditionalOnProtevusEnabled;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.context.annotation.Import;

/**
 * Meters of the worker pools (Micrometer's {@code executor.*} meters plus
 * {@code protevus.executor.rejected}, tagged {@code name=<pool>}) and the
 * {@code protevus.eventloop.lag} gauge, when a meter registry exists.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = { MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
		AsyncAutoConfiguration.class })
@ConditionalOnProtevusEnabled
@ConditionalOnBooleanProperty(name = "protevus.async.enabled", matchIfMissing = true)
@ConditionalOnClass({ MeterRegistry.class, Mono.class, MetricsAutoConfiguration.class })
@ConditionalOnBean(MeterRegistry.class)
@Import(AsyncConfigurations.MetricsConfiguration.class)
public class AsyncMetricsAutoConfiguration {

}
