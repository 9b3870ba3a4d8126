package dev.protevus.boot.autoconfigure.data;

import dev.protevus.boot.actuate.data.ReadReplicaMetrics;
import dev.protevus.boot.autoconfigure.ConditionalOnProtevusEnabled;
import dev.protevus.boot.data.replica.ReadReplicas;
import io.micrometer.core.instrument.MeterRegistry;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.spi.ConnectionFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration;
import org.springframework.boot.actuate.metrics.r2dbc.ConnectionPoolMetrics;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The {@code protevus.data.statements} timer of every statement and, with read replicas,
 * Boot's {@code r2dbc.pool.*} meters for each replica's pool (tagged with the replica's
 * {@code name}) and the {@code protevus.data.replica.*} gauges. Boot's own meters of the
 * primary's pool stay as they are.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = { MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class })
@ConditionalOnProtevusEnabled
@ConditionalOnBooleanProperty(name = "protevus.data.enabled", matchIfMissing = true)
@ConditionalOnClass({ MeterRegistry.class, ConnectionFactory.class })
@ConditionalOnBean(MeterRegistry.class)
@Import(DataConfigurations.StatementMetricsConfiguration.class)
public class DataMetricsAutoConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ ConnectionPool.class, ConnectionPoolMetrics.class })
	static class ReplicaMetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		ReadReplicaMetrics readReplicaMetrics(ObjectProvider<ReadReplicas> replicas) {
			return new ReadReplicaMetrics(replicas::getIfAvailable);
		}

	}

}
