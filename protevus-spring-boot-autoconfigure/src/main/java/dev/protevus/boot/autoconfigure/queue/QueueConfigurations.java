package dev.protevus.boot.autoconfigure.queue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.protevus.boot.actuate.queue.QueueMeterBinder;
import dev.protevus.boot.autoconfigure.InvalidPropertyException;
import dev.protevus.boot.autoconfigure.ProtevusJson;
import dev.protevus.boot.queue.BrokerJobQueue;
import dev.protevus.boot.queue.JobQueue;
import dev.protevus.boot.queue.JsonJobCodec;
import dev.protevus.boot.queue.MemoryQueueBroker;
import dev.protevus.boot.queue.QueueBroker;
import dev.protevus.boot.queue.QueueLag;
import dev.protevus.boot.queue.QueueListenerBeanPostProcessor;
import dev.protevus.boot.queue.QueueObserver;
import dev.protevus.boot.queue.QueueProblemMapper;
import dev.protevus.boot.queue.RedisQueueBroker;
import dev.protevus.boot.scaling.ScalingSignal;
import dev.protevus.boot.scaling.ScalingSignals;
import dev.protevus.boot.task.BackgroundScheduler;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.http.ProblemDetail;

/**
 * The configurations that {@link QueueAutoConfiguration} imports.
 */
abstract class QueueConfigurations {

	private QueueConfigurations() {
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(ReactiveRedisConnectionFactory.class)
	@ConditionalOnBean(ReactiveRedisConnectionFactory.class)
	@Conditional(RedisQueueDriverCondition.class)
	static class RedisBrokerConfiguration {

		@Bean
		@ConditionalOnMissingBean(QueueBroker.class)
		RedisQueueBroker queueBroker(ReactiveRedisConnectionFactory connectionFactory, QueueProperties properties,
				QueueSettingsResolver settings, BackgroundScheduler scheduler) {
			return new RedisQueueBroker(connectionFactory, properties.getKeyPrefix(), settings.consumerGroup(),
					settings, scheduler.scheduler());
		}

	}

	/**
	 * The broker when no other is defined: memory, after checking that memory is what the
	 * application asked for.
	 */
	@Configuration(proxyBeanMethods = false)
	static class MemoryBrokerConfiguration {

		@Bean
		@ConditionalOnMissingBean(QueueBroker.class)
		MemoryQueueBroker queueBroker(QueueSettingsResolver settings, Environment environment) {
			if (QueueDriver.of(environment) == QueueDriver.REDIS) {
				throw new InvalidPropertyException(QueueDriver.PROPERTY, "redis",
						"no reactive Redis connection factory is available",
						"Add spring-boot-starter-data-redis-reactive and configure spring.data.redis, or set '"
								+ QueueDriver.PROPERTY + "' to memory.");
			}
			return new MemoryQueueBroker(settings);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(ProblemDetail.class)
	static class ProblemMapperConfiguration {

		@Bean
		@ConditionalOnMissingBean
		QueueProblemMapper queueProblemMapper() {
			return new QueueProblemMapper();
		}

	}

	/**
	 * Queue lag as the scaling signal {@value ScalingSignals#QUEUE_LAG}, which the
	 * scaling feature reads like every other {@link ScalingSignal} bean; not there when
	 * the scaling feature is switched off.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBooleanProperty(name = "protevus.scaling.enabled", matchIfMissing = true)
	static class ScalingSignalConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "protevusQueueLagScalingSignal")
		ScalingSignal protevusQueueLagScalingSignal(ObjectProvider<QueueLag> lag) {
			return ScalingSignal.of(ScalingSignals.QUEUE_LAG, ScalingSignal.SECONDS, () -> {
				QueueLag source = lag.getIfUnique();
				return (source != null) ? source.lagSeconds() : Double.NaN;
			});
		}

	}

	/**
	 * The {@code protevus.queue.*} meters.
	 */
	@Configuration(proxyBeanMethods = false)
	static class MetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		QueueMeterBinder queueMeterBinder(BrokerJobQueue jobQueue) {
			return new QueueMeterBinder(jobQueue);
		}

	}

	/**
	 * The job queue, its settings, payload codec and listener post-processor.
	 */
	@Configuration(proxyBeanMethods = false)
	static class JobQueueConfiguration {

		@Bean
		@ConditionalOnMissingBean
		QueueSettingsResolver queueSettingsResolver(QueueProperties properties, Environment environment) {
			return new QueueSettingsResolver(properties, environment);
		}

		@Bean
		@ConditionalOnMissingBean
		JsonJobCodec jobPayloadCodec(ObjectProvider<ObjectMapper> objectMapper, QueueProperties properties,
				BeanFactory beanFactory, Environment environment) {
			ClassLoader classLoader = (beanFactory instanceof ConfigurableBeanFactory configurable)
					? configurable.getBeanClassLoader() : null;
			return new JsonJobCodec(ProtevusJson.mapper(objectMapper),
					ProtevusJson.allowedPackages(properties.getSerialization().getAllowedPackages(), beanFactory),
					classLoader);
		}

		@Bean
		@ConditionalOnMissingBean(JobQueue.class)
		BrokerJobQueue jobQueue(QueueBroker broker, JsonJobCodec codec, QueueSettingsResolver settings,
				QueueProperties properties, BackgroundScheduler scheduler, ObjectProvider<QueueObserver> observers) {
			return new BrokerJobQueue(broker, codec, settings, settings.configuredQueues(), scheduler,
					properties.getDueCheckInterval(), properties.getTimeout(),
					BrokerJobQueue.uniqueConsumerName(settings.consumerGroup()),
					() -> observers.orderedStream().toList());
		}

		@Bean
		@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
		@ConditionalOnMissingBean
		static QueueListenerBeanPostProcessor queueListenerBeanPostProcessor() {
			return new QueueListenerBeanPostProcessor();
		}

	}

}
