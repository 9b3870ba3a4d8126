package dev.protevus.boot.autoconfigure.data;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.protevus.boot.actuate.data.StatementMetrics;
import dev.protevus.boot.data.PoolUtilization;
import dev.protevus.boot.data.pool.ConnectionLeakDetector;
import dev.protevus.boot.data.pool.ConnectionPoolUtilization;
import dev.protevus.boot.data.pool.ConnectionPoolWarmup;
import dev.protevus.boot.data.pool.ConnectionPools;
import dev.protevus.boot.data.pool.LeakDetectingConnectionFactory;
import dev.protevus.boot.data.query.KeysetPaginations;
import dev.protevus.boot.data.relation.RelationRegistry;
import dev.protevus.boot.data.relation.Relations;
import dev.protevus.boot.data.replica.ReadReplica;
import dev.protevus.boot.data.replica.ReadReplicas;
import dev.protevus.boot.data.replica.ReplicaRoutingConnectionFactory;
import dev.protevus.boot.data.replica.ReplicaRoutingTransactionManager;
import dev.protevus.boot.data.statement.NPlusOneDetector;
import dev.protevus.boot.data.statement.ObservedStatements;
import dev.protevus.boot.data.statement.SlowQueryLog;
import dev.protevus.boot.data.statement.StatementObserver;
import dev.protevus.boot.data.statement.StatementTimeouts;
import dev.protevus.boot.data.web.DataProblemMapper;
import dev.protevus.boot.data.web.StatementScopeWebFilter;
import dev.protevus.boot.task.BackgroundScheduler;
import dev.protevus.boot.web.ProblemMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.spi.ConnectionFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.r2dbc.ConnectionFactoryDecorator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.data.r2dbc.core.R2dbcEntityTemplate;
import org.springframework.r2dbc.connection.lookup.AbstractRoutingConnectionFactory;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.web.server.WebFilter;

/**
 * The parts of {@link DataAutoConfiguration}, each with its own conditions.
 */
abstract class DataConfigurations {

	/**
	 * Pool utilization, warm-up and leak detection, when r2dbc-pool pools the one
	 * connection factory.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(ConnectionPool.class)
	@ConditionalOnSingleCandidate(ConnectionFactory.class)
	static class PoolConfiguration {

		/**
		 * The utilization of the application's pool and, with read replicas, of theirs.
		 */
		@Bean
		@ConditionalOnMissingBean(PoolUtilization.class)
		ConnectionPoolUtilization poolUtilization(ConnectionFactory connectionFactory,
				ObjectProvider<ReadReplicas> replicas) {
			List<ConnectionFactory> pools = new ArrayList<>(List.of(connectionFactory));
			replicas.ifAvailable(
					(available) -> available.replicas().forEach((replica) -> pools.add(replica.connectionFactory())));
			return new ConnectionPoolUtilization(pools);
		}

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnBooleanProperty(name = "protevus.data.pool.warmup", matchIfMissing = true)
		ConnectionPoolWarmup connectionPoolWarmup(ConnectionFactory connectionFactory, R2dbcSettings r2dbc) {
			ConnectionPool pool = ConnectionPools.find(connectionFactory);
			R2dbcSettings.Pool settings = r2dbc.pool();
			int size = (pool != null) ? Math.min(settings.initialSize(), settings.maxSize()) : 0;
			Duration timeout = r2dbc.acquireTime().multipliedBy(2).plusSeconds(10);
			return new ConnectionPoolWarmup(pool, size, timeout);
		}

		@Bean
		@ConditionalOnProperty("protevus.data.pool.leak-detection-threshold")
		static ConnectionLeakDetection connectionLeakDetection(ObjectProvider<DataSettings> settings,
				ObjectProvider<BackgroundScheduler> scheduler) {
			return new ConnectionLeakDetection(settings, scheduler);
		}

	}

	/**
	 * Wraps the application's connection pool so that every connection it hands out is
	 * watched for leaks, checked on the shared {@link BackgroundScheduler}. A bean post
	 * processor because the wrapper takes the pool's place as the
	 * {@code ConnectionFactory} bean.
	 */
	static class ConnectionLeakDetection implements BeanPostProcessor, DisposableBean, Ordered {

		private final ObjectProvider<DataSettings> settings;

		private final ObjectProvider<BackgroundScheduler> scheduler;

		private ConnectionLeakDetector detector;

		ConnectionLeakDetection(ObjectProvider<DataSettings> settings, ObjectProvider<BackgroundScheduler> scheduler) {
			this.settings = settings;
			this.scheduler = scheduler;
		}

		@Override
		public Object postProcessAfterInitialization(Object bean, String beanName) {
			if (bean instanceof ConnectionPool pool && this.detector == null) {
				Duration threshold = this.settings.getObject().leakDetectionThreshold();
				if (threshold != null) {
					this.detector = new ConnectionLeakDetector(threshold, this.scheduler.getObject());
					return new LeakDetectingConnectionFactory(pool, this.detector);
				}
			}
			return bean;
		}

		@Override
		public void destroy() {
			if (this.detector != null) {
				this.detector.dispose();
			}
		}

		/**
		 * Before {@link ReplicaRouting}, which then routes to the watched pool.
		 */
		@Override
		public int getOrder() {
			return Ordered.LOWEST_PRECEDENCE - 10;
		}

	}

	/**
	 * Read replicas, when {@code protevus.data.replicas} names any: a pool for each,
	 * their checks, the routing connection factory that takes the primary pool's place,
	 * and a transaction manager whose read-only transactions route to a replica.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ ConnectionPool.class, AbstractRoutingConnectionFactory.class })
	@ConditionalOnSingleCandidate(ConnectionFactory.class)
	@Conditional(ReplicasConfiguredCondition.class)
	static class ReplicasConfiguration {

		@Bean(destroyMethod = "dispose")
		@ConditionalOnMissingBean
		ReadReplicas readReplicas(DataSettings settings, R2dbcSettings r2dbc,
				ObjectProvider<ConnectionFactoryDecorator> decorators, BackgroundScheduler scheduler) {
			List<ReadReplica> replicas = ReplicaPools.create(settings, r2dbc, decorators.orderedStream().toList());
			ReadReplicas readReplicas = new ReadReplicas(replicas, settings.replicaMaxLag(),
					settings.replicaCheckInterval(), settings.replicaCheckTimeout());
			readReplicas.start(scheduler);
			return readReplicas;
		}

		@Bean
		static ReplicaRouting replicaRouting(ObjectProvider<ReadReplicas> replicas) {
			return new ReplicaRouting(replicas);
		}

		/**
		 * Takes the place of Spring Boot's {@code R2dbcTransactionManager}, which
		 * {@code DataAutoConfiguration} is ordered before.
		 */
		@Bean
		@ConditionalOnMissingBean(ReactiveTransactionManager.class)
		ReplicaRoutingTransactionManager connectionFactoryTransactionManager(ConnectionFactory connectionFactory) {
			return new ReplicaRoutingTransactionManager(connectionFactory);
		}

	}

	/**
	 * Puts a {@link ReplicaRoutingConnectionFactory} in the place of the application's
	 * connection factory, with that factory as the primary. A bean post processor, as for
	 * leak detection, so that Boot's pool and everything Boot applies to it stay as they
	 * are.
	 */
	static class ReplicaRouting implements BeanPostProcessor, Ordered {

		private final ObjectProvider<ReadReplicas> replicas;

		private boolean routed;

		ReplicaRouting(ObjectProvider<ReadReplicas> replicas) {
			this.replicas = replicas;
		}

		@Override
		public Object postProcessAfterInitialization(Object bean, String beanName) {
			if (bean instanceof ConnectionFactory primary && !(bean instanceof ReplicaRoutingConnectionFactory)
					&& !this.routed) {
				this.routed = true;
				return new ReplicaRoutingConnectionFactory(primary, this.replicas.getObject());
			}
			return bean;
		}

		@Override
		public int getOrder() {
			return Ordered.LOWEST_PRECEDENCE;
		}

	}

	/**
	 * Relation loading and keyset pagination, when Spring Data R2DBC is configured.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(R2dbcEntityTemplate.class)
	@ConditionalOnBean(R2dbcEntityTemplate.class)
	static class RelationsConfiguration {

		/**
		 * The relations declared by annotations and customizers, checked against the
		 * mapping so that a wrong declaration fails start-up rather than a request.
		 */
		@Bean
		@ConditionalOnMissingBean
		RelationRegistry relationRegistry(R2dbcEntityTemplate template,
				ObjectProvider<RelationRegistryCustomizer> customizers) {
			RelationRegistry registry = new RelationRegistry(template.getConverter().getMappingContext());
			customizers.orderedStream().forEach((customizer) -> customizer.customize(registry));
			registry.validate();
			return registry;
		}

		@Bean
		@ConditionalOnMissingBean
		Relations relations(R2dbcEntityTemplate template, RelationRegistry registry, DataSettings settings) {
			return new Relations(template, registry, settings.relations());
		}

		/**
		 * Where keyset paginations start, capped at
		 * {@code protevus.data.pagination.max-limit}.
		 */
		@Bean
		@ConditionalOnMissingBean
		KeysetPaginations keysetPaginations(R2dbcEntityTemplate template, DataSettings settings) {
			return new KeysetPaginations(template, settings.paginationMaxLimit());
		}

	}

	/**
	 * The web part: the problems data failures are answered with, through the web layer's
	 * {@link ProblemMapper} SPI, and a statement scope per request while N+1 detection is
	 * on.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
	@ConditionalOnClass(WebFilter.class)
	static class WebConfiguration {

		@Bean
		@ConditionalOnMissingBean
		DataProblemMapper dataProblemMapper(R2dbcSettings r2dbc) {
			return new DataProblemMapper(r2dbc.acquireTime());
		}

		/**
		 * A statement scope per request, for N+1 detection only: off by default outside
		 * tests and devtools, and then no request pays for the filter (Spring's filter
		 * chain costs every filter a checkpoint per request).
		 */
		@Bean
		@ConditionalOnMissingBean
		@Conditional(NPlusOneDetectionCondition.class)
		StatementScopeWebFilter statementScopeWebFilter() {
			return new StatementScopeWebFilter();
		}

	}

	/**
	 * The checked settings and what observes and bounds every statement.
	 */
	@Configuration(proxyBeanMethods = false)
	static class StatementsConfiguration {

		/**
		 * The settings, checked: a singleton that the statement observation needs, so
		 * that a value that cannot work fails start-up even when the part it configures
		 * is off.
		 */
		@Bean
		DataSettings dataSettings(DataProperties properties) {
			return new DataSettings(properties);
		}

		/**
		 * Has every statement of the application's connection factory reported to the
		 * observers that are switched on (slow-statement log, N+1 detection, metrics);
		 * Spring Boot applies it to the driver's factory, inside the pool. It does not
		 * back off to an application's {@code ConnectionFactoryDecorator}: Boot applies
		 * every decorator bean, so an application's own decorator is added to this one
		 * rather than meant to replace it. Switch the observers off with their properties
		 * instead.
		 */
		@Bean
		ConnectionFactoryDecorator statementObservation(DataProperties properties, DataSettings settings,
				ObjectProvider<StatementMetrics> metrics) {
			List<StatementObserver> observers = new ArrayList<>();
			Duration slow = settings.slowQueryThreshold();
			if (slow != null) {
				observers.add(new SlowQueryLog(slow));
			}
			if (properties.getNPlusOne() != DataProperties.NPlusOne.OFF) {
				observers.add(new NPlusOneDetector(settings.nPlusOneThreshold(),
						properties.getNPlusOne() == DataProperties.NPlusOne.FAIL));
			}
			metrics.ifAvailable(observers::add);
			return (connectionFactory) -> observers.isEmpty() ? connectionFactory
					: new ObservedStatements(connectionFactory, observers);
		}

		/**
		 * Bounds how long statements run, when {@code protevus.data.statement-timeout} is
		 * set. Applied before the statement observation, closest to the driver, so that a
		 * timed out statement is observed as failed.
		 */
		@Bean
		@Order(Ordered.HIGHEST_PRECEDENCE + 100)
		@ConditionalOnProperty("protevus.data.statement-timeout")
		ConnectionFactoryDecorator statementTimeout(DataSettings settings) {
			Duration timeout = settings.statementTimeout();
			return (connectionFactory) -> (timeout != null) ? new StatementTimeouts(connectionFactory, timeout)
					: connectionFactory;
		}

	}

	/**
	 * The {@code protevus.data.statements} timer.
	 */
	@Configuration(proxyBeanMethods = false)
	static class StatementMetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		StatementMetrics statementMetrics(MeterRegistry registry) {
			return new StatementMetrics(registry);
		}

	}

}
