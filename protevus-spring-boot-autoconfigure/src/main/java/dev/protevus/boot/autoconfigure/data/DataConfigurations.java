package dev.protevus.boot.autoconfigure.data;

import java.time.Duration;

import dev.protevus.boot.data.PoolUtilization;
import dev.protevus.boot.data.pool.ConnectionLeakDetector;
import dev.protevus.boot.data.pool.ConnectionPoolUtilization;
import dev.protevus.boot.data.pool.ConnectionPoolWarmup;
import dev.protevus.boot.data.pool.ConnectionPools;
import dev.protevus.boot.data.pool.LeakDetectingConnectionFactory;
import dev.protevus.boot.data.query.KeysetPaginations;
import dev.protevus.boot.data.relation.RelationRegistry;
import dev.protevus.boot.data.relation.Relations;
import dev.protevus.boot.data.web.DataProblemMapper;
import dev.protevus.boot.data.web.StatementScopeWebFilter;
import dev.protevus.boot.task.BackgroundScheduler;
import dev.protevus.boot.web.ProblemMapper;
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
import org.springframework.boot.autoconfigure.r2dbc.R2dbcProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.r2dbc.core.R2dbcEntityTemplate;
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
	@EnableConfigurationProperties(R2dbcProperties.class)
	static class PoolConfiguration {

		@Bean
		@ConditionalOnMissingBean(PoolUtilization.class)
		ConnectionPoolUtilization poolUtilization(ConnectionFactory connectionFactory) {
			return new ConnectionPoolUtilization(connectionFactory);
		}

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnBooleanProperty(name = "protevus.data.pool.warmup", matchIfMissing = true)
		ConnectionPoolWarmup connectionPoolWarmup(ConnectionFactory connectionFactory, R2dbcProperties properties) {
			ConnectionPool pool = ConnectionPools.find(connectionFactory);
			R2dbcProperties.Pool settings = properties.getPool();
			int size = (pool != null) ? Math.min(settings.getInitialSize(), settings.getMaxSize()) : 0;
			Duration timeout = DataAutoConfiguration.acquireTime(properties).multipliedBy(2).plusSeconds(10);
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
	static class ConnectionLeakDetection implements BeanPostProcessor, DisposableBean {

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
	 * {@link ProblemMapper} SPI, and a statement scope per request.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
	@ConditionalOnClass(WebFilter.class)
	@EnableConfigurationProperties(R2dbcProperties.class)
	static class WebConfiguration {

		@Bean
		@ConditionalOnMissingBean
		DataProblemMapper dataProblemMapper(R2dbcProperties properties) {
			return new DataProblemMapper(DataAutoConfiguration.acquireTime(properties));
		}

		@Bean
		@ConditionalOnMissingBean
		StatementScopeWebFilter statementScopeWebFilter() {
			return new StatementScopeWebFilter();
		}

	}

}
