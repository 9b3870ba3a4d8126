package dev.protevus.boot.autoconfigure.data;

import dev.protevus.boot.autoconfigure.ConditionalOnProtevusEnabled;
import io.micrometer.core.instrument.MeterRegistry;
import io.r2dbc.proxy.ProxyConnectionFactory;

import org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.r2dbc.ProxyConnectionFactoryCustomizer;
import org.springframework.context.annotation.Bean;

/**
 * The {@code protevus.data.statements} timer, recorded through r2dbc-proxy. Boot's own
 * {@code r2dbc.pool.*} meters stay as they are.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = { MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class })
@ConditionalOnProtevusEnabled
@ConditionalOnClass({ MeterRegistry.class, ProxyConnectionFactory.class, ProxyConnectionFactoryCustomizer.class })
@ConditionalOnBean(MeterRegistry.class)
public class DataMetricsAutoConfiguration {

	@Bean
	ProxyConnectionFactoryCustomizer statementMetricsCustomizer(MeterRegistry registry) {
		return (builder) -> builder.listener(new StatementMetrics(registry));
	}

}
