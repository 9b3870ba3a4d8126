package dev.protevus.boot.autoconfigure.data;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.protevus.boot.autoconfigure.ConditionalOnProtevusEnabled;
import dev.protevus.boot.data.PoolUtilization;
import dev.protevus.boot.data.relation.RelationRegistry;
import dev.protevus.boot.data.relation.RelationSettings;
import dev.protevus.boot.data.relation.Relations;
import dev.protevus.boot.web.ProblemResponseWriter;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.spi.ConnectionFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.data.r2dbc.R2dbcDataAutoConfiguration;
import org.springframework.boot.autoconfigure.r2dbc.R2dbcAutoConfiguration;
import org.springframework.boot.autoconfigure.r2dbc.R2dbcProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.r2dbc.ConnectionFactoryDecorator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.data.r2dbc.core.R2dbcEntityTemplate;
import org.springframework.http.codec.ServerCodecConfigurer;

/**
 * Protevus's database support on top of Spring Boot's R2DBC configuration: pool warm-up,
 * utilization and leak detection, the slow-statement log, N+1 detection, relation
 * loading, and problem answers when the database cannot serve a request (503) or a
 * request asks for an unknown relation or a malformed page cursor (400).
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = { R2dbcAutoConfiguration.class, R2dbcDataAutoConfiguration.class })
@ConditionalOnProtevusEnabled
@ConditionalOnClass(ConnectionFactory.class)
@EnableConfigurationProperties(DataProperties.class)
@Import({ DataAutoConfiguration.PoolConfiguration.class, DataAutoConfiguration.RelationsConfiguration.class,
		DataAutoConfiguration.WebConfiguration.class })
public class DataAutoConfiguration {

	static Duration acquireTime(R2dbcProperties properties) {
		Duration configured = properties.getPool().getMaxAcquireTime();
		return (configured != null) ? configured : Duration.ofSeconds(5);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(ConnectionPool.class)
	@ConditionalOnSingleCandidate(ConnectionFactory.class)
	@EnableConfigurationProperties(R2dbcProperties.class)
	static class PoolConfiguration {

		@Bean
		@ConditionalOnMissingBean
		PoolUtilization poolUtilization(ConnectionFactory connectionFactory) {
			return new ConnectionPoolUtilization(connectionFactory);
		}

		@Bean
		@ConditionalOnBooleanProperty(name = "protevus.data.pool.warmup", matchIfMissing = true)
		ConnectionPoolWarmup connectionPoolWarmup(ConnectionFactory connectionFactory, R2dbcProperties properties) {
			ConnectionPool pool = ConnectionPools.find(connectionFactory);
			R2dbcProperties.Pool settings = properties.getPool();
			int size = (pool != null) ? Math.min(settings.getInitialSize(), settings.getMaxSize()) : 0;
			Duration timeout = acquireTime(properties).multipliedBy(2).plusSeconds(10);
			return new ConnectionPoolWarmup(pool, size, timeout);
		}

		@Bean
		@ConditionalOnProperty("protevus.data.pool.leak-detection-threshold")
		static ConnectionLeakDetection connectionLeakDetection(ObjectProvider<DataProperties> properties) {
			return new ConnectionLeakDetection(properties);
		}

	}

	/**
	 * Wraps the application's connection factory so that every connection it hands out is
	 * watched for leaks.
	 */
	static class ConnectionLeakDetection implements BeanPostProcessor, DisposableBean {

		private final ObjectProvider<DataProperties> properties;

		private ConnectionLeakDetector detector;

		ConnectionLeakDetection(ObjectProvider<DataProperties> properties) {
			this.properties = properties;
		}

		@Override
		public Object postProcessAfterInitialization(Object bean, String beanName) {
			if (bean instanceof ConnectionPool pool) {
				Duration threshold = this.properties.getObject().getPool().getLeakDetectionThreshold();
				if (threshold != null && !threshold.isZero() && !threshold.isNegative() && this.detector == null) {
					this.detector = new ConnectionLeakDetector(threshold);
					return new LeakDetectingConnectionFactory(pool, this.detector);
				}
			}
			return bean;
		}

		@Override
		public void destroy() {
			if (this.detector != null) {
				this.detector.destroy();
			}
		}

	}

	/**
	 * Has every statement of the application's connection factory reported to the
	 * observers that are switched on (slow-statement log, N+1 detection, metrics); Spring
	 * Boot applies it to the driver's factory, inside the pool.
	 */
	@Bean
	ConnectionFactoryDecorator statementObservation(DataProperties properties,
			ObjectProvider<StatementMetrics> metrics) {
		List<StatementObserver> observers = new ArrayList<>();
		Duration slow = properties.getSlowQueryThreshold();
		if (slow != null && slow.compareTo(Duration.ZERO) > 0) {
			observers.add(new SlowQueryLog(slow));
		}
		if (properties.getNPlusOne() != DataProperties.NPlusOne.OFF) {
			observers.add(new NPlusOneDetector(properties.getNPlusOneThreshold(),
					properties.getNPlusOne() == DataProperties.NPlusOne.FAIL));
		}
		metrics.ifAvailable(observers::add);
		return (connectionFactory) -> observers.isEmpty() ? connectionFactory
				: new ObservedStatements(connectionFactory, observers);
	}

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
		Relations relations(R2dbcEntityTemplate template, RelationRegistry registry, DataProperties properties) {
			DataProperties.Relations settings = properties.getRelations();
			return new Relations(template, registry, new RelationSettings(settings.getChunkSize(),
					settings.getLazyBatchWindow(), settings.getLazyMaxBatchSize()));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
	@ConditionalOnClass(ServerCodecConfigurer.class)
	@EnableConfigurationProperties(R2dbcProperties.class)
	static class WebConfiguration {

		@Bean
		@ConditionalOnBean(ServerCodecConfigurer.class)
		DataProblemWebExceptionHandler dataProblemWebExceptionHandler(ServerCodecConfigurer codecs,
				ObjectProvider<ProblemResponseWriter> problems, R2dbcProperties properties) {
			return new DataProblemWebExceptionHandler(problems.getIfAvailable(() -> new ProblemResponseWriter(codecs)),
					acquireTime(properties));
		}

		@Bean
		StatementScopeWebFilter statementScopeWebFilter() {
			return new StatementScopeWebFilter();
		}

	}

}
