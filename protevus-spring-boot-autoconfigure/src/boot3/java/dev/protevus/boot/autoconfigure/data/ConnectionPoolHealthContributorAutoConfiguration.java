package dev.protevus.boot.autoconfigure.data;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.protevus.boot.actuate.data.ConnectionPoolHealthIndicator;
import dev.protevus.boot.actuate.data.ReadReplicaHealthIndicator;
import dev.protevus.boot.autoconfigure.ConditionalOnProtevusEnabled;
import dev.protevus.boot.data.pool.ConnectionPools;
import dev.protevus.boot.data.replica.ReadReplica;
import dev.protevus.boot.data.replica.ReadReplicas;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.spi.ConnectionFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.health.CompositeReactiveHealthContributorConfiguration;
import org.springframework.boot.actuate.health.CompositeReactiveHealthContributor;
import org.springframework.boot.actuate.health.ReactiveHealthContributor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.r2dbc.R2dbcAutoConfiguration;
import org.springframework.boot.autoconfigure.r2dbc.R2dbcProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;

/**
 * The {@code r2dbcPool} health indicator: DOWN when the pool cannot hand out a connection
 * within its acquire time, with its acquired, idle, pending and maximum counts.
 * {@code management.health.r2dbc-pool.enabled=false} (or the indicator's name,
 * {@code r2dbcPool}, in place of {@code r2dbc-pool}) switches it off. With read replicas
 * it has one entry per pool: the primary's, under its bean name, and each replica's,
 * under the replica's name ({@code replica-1}, …).
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = R2dbcAutoConfiguration.class)
@ConditionalOnProtevusEnabled
@ConditionalOnBooleanProperty(name = "protevus.data.enabled", matchIfMissing = true)
@ConditionalOnClass({ ConnectionPool.class, ReactiveHealthContributor.class })
@ConditionalOnBean(ConnectionFactory.class)
@Conditional(PoolHealthIndicatorEnabledCondition.class)
@EnableConfigurationProperties(R2dbcProperties.class)
public class ConnectionPoolHealthContributorAutoConfiguration
		extends CompositeReactiveHealthContributorConfiguration<ConnectionPoolHealthIndicator, ConnectionPool> {

	/**
	 * Creates the configuration of pool health indicators that wait as long as the pool
	 * lets a connection request wait.
	 * @param properties Spring Boot's R2DBC settings, for the pool's acquire time
	 */
	public ConnectionPoolHealthContributorAutoConfiguration(R2dbcProperties properties) {
		super((pool) -> new ConnectionPoolHealthIndicator(pool, R2dbcSettings.acquireTime(properties.getPool().getMaxAcquireTime())));
	}

	@Bean
	@ConditionalOnMissingBean(name = { "r2dbcPoolHealthIndicator", "r2dbcPoolHealthContributor" })
	ReactiveHealthContributor r2dbcPoolHealthContributor(Map<String, ConnectionFactory> connectionFactories,
			ObjectProvider<ReadReplicas> replicas) {
		Map<String, ConnectionPool> pools = new LinkedHashMap<>();
		connectionFactories.forEach((name, factory) -> {
			ConnectionPool pool = ConnectionPools.find(factory);
			if (pool != null) {
				pools.put(name, pool);
			}
		});
		ReadReplicas readReplicas = replicas.getIfAvailable();
		if (readReplicas == null) {
			return createContributor(pools);
		}
		Map<String, ReactiveHealthContributor> contributors = new LinkedHashMap<>();
		pools.forEach((name, pool) -> contributors.put(name, createIndicator(pool)));
		for (ReadReplica replica : readReplicas.replicas()) {
			ConnectionPool pool = replica.pool();
			if (pool != null) {
				contributors.put(replica.name(), new ReadReplicaHealthIndicator(replica, createIndicator(pool)));
			}
		}
		return CompositeReactiveHealthContributor.fromMap(contributors);
	}

}
