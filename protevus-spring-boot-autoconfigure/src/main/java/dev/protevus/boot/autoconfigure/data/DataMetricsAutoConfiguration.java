package dev.protevus.boot.autoconfigure.data;

import dev.protevus.boot.actuate.data.StatementMetrics;
import dev.protevus.boot.autoconfigure.ConditionalOnProtevusEnabled;
import io.micrometer.core.instrument.MeterRegistry;
import io.r2dbc.spi.ConnectionFactory;

import org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The {@code protevus.data.statements} timer of every statement. Boot's own
 * {@code r2dbc.pool.*} meters stay as they are.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = { MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class })
@ConditionalOnProtevusEnabled
@ConditionalOnBooleanProperty(name = "protevus.data.enabled", matchIfMissing = true)
@ConditionalOnClass({ MeterRegistry.class, ConnectionFactory.class })
@ConditionalOnBean(MeterRegistry.class)
public class DataMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	StatementMetrics statementMetrics(MeterRegistry registry) {
		return new StatementMetrics(registry);
	}

}
