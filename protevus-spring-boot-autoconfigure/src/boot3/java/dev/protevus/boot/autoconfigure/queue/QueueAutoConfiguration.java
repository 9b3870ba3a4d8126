package dev.protevus.boot.autoconfigure.queue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.protevus.boot.autoconfigure.ConditionalOnProtevusEnabled;
import dev.protevus.boot.autoconfigure.ProtevusAutoConfiguration;
import dev.protevus.boot.queue.JobQueue;
import dev.protevus.boot.task.BackgroundScheduler;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.data.redis.RedisReactiveAutoConfiguration;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Import;

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
		QueueConfigurations.ProblemMapperConfiguration.class, QueueConfigurations.ScalingSignalConfiguration.class, QueueConfigurations.JobQueueConfiguration.class })
public class QueueAutoConfiguration {

}
