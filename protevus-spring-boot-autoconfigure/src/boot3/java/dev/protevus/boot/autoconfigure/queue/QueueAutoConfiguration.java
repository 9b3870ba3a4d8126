package dev.protevus.boot.autoconfigure.queue;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.protevus.boot.autoconfigure.ConditionalOnProtevusEnabled;
import dev.protevus.boot.autoconfigure.ProtevusAutoConfiguration;
import dev.protevus.boot.queue.BrokerJobQueue;
import dev.protevus.boot.queue.JobQueue;
import dev.protevus.boot.queue.JsonJobCodec;
import dev.protevus.boot.queue.QueueBroker;
import dev.protevus.boot.queue.QueueListenerBeanPostProcessor;
import dev.protevus.boot.queue.QueueObserver;
import dev.protevus.boot.task.BackgroundScheduler;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurationPackages;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.data.redis.RedisReactiveAutoConfiguration;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;

/**
 * Job queues: a {@link JobQueue} on Redis Streams when the application uses Redis (or
 * {@code protevus.queue.driver=redis}), in memory otherwise, with {@code @QueueListener}
 * methods registered on it, the web problem for a queue that cannot be reached and the
 * {@code queue-lag} scaling signal. The endpoint and meters have auto-configurations of
 * their own.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = { ProtevusAutoConfiguration.class, JacksonAutoConfiguration.class,
		RedisReactiveAutoConfiguration.class })
@ConditionalOnProtevusEnabled
@ConditionalOnBooleanProperty(name = QueueProperties.PREFIX + ".enabled", matchIfMissing = true)
@ConditionalOnClass({ Mono.class, ObjectMapper.class })
@ConditionalOnBean(BackgroundScheduler.class)
@EnableConfigurationProperties(QueueProperties.class)
@Import({ QueueConfigurations.RedisBrokerConfiguration.class, QueueConfigurations.MemoryBrokerConfiguration.class,
		QueueConfigurations.ProblemMapperConfiguration.class, QueueConfigurations.ScalingSignalConfiguration.class })
public class QueueAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	QueueSettingsResolver queueSettingsResolver(QueueProperties properties, Environment environment) {
		return new QueueSettingsResolver(properties, environment);
	}

	@Bean
	@ConditionalOnMissingBean
	JsonJobCodec jobPayloadCodec(ObjectProvider<ObjectMapper> objectMapper, QueueProperties properties,
			BeanFactory beanFactory, Environment environment) {
		List<String> allowed = new ArrayList<>(properties.getSerialization().getAllowedPackages());
		if (AutoConfigurationPackages.has(beanFactory)) {
			allowed.addAll(AutoConfigurationPackages.get(beanFactory));
		}
		ClassLoader classLoader = (beanFactory instanceof ConfigurableBeanFactory configurable)
				? configurable.getBeanClassLoader() : null;
		return new JsonJobCodec(objectMapper.getIfAvailable(ObjectMapper::new), allowed, classLoader);
	}

	@Bean
	@ConditionalOnMissingBean(JobQueue.class)
	BrokerJobQueue jobQueue(QueueBroker broker, JsonJobCodec codec, QueueSettingsResolver settings,
			QueueProperties properties, BackgroundScheduler scheduler, ObjectProvider<QueueObserver> observers) {
		return new BrokerJobQueue(broker, codec, settings, settings.configuredQueues(), scheduler,
				properties.getDueCheckInterval(), properties.getTimeout(),
				BrokerJobQueue.uniqueConsumerName(settings.consumerGroup()), () -> observers.orderedStream().toList());
	}

	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	@ConditionalOnMissingBean
	static QueueListenerBeanPostProcessor queueListenerBeanPostProcessor() {
		return new QueueListenerBeanPostProcessor();
	}

}
