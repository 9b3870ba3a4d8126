package dev.protevus.boot.autoconfigure.queue;

import dev.protevus.boot.actuate.queue.QueuesEndpoint;
import dev.protevus.boot.autoconfigure.ConditionalOnProtevusEnabled;
import dev.protevus.boot.queue.JobQueue;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The {@code queues} actuator endpoint, when it is enabled and exposed.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = QueueAutoConfiguration.class)
@ConditionalOnProtevusEnabled
@ConditionalOnClass({ ConditionalOnAvailableEndpoint.class, JobQueue.class })
@ConditionalOnAvailableEndpoint(QueuesEndpoint.class)
public class QueueEndpointAutoConfiguration {

	@Bean
	@ConditionalOnBean(JobQueue.class)
	@ConditionalOnMissingBean
	QueuesEndpoint queuesEndpoint(JobQueue jobQueue) {
		return new QueuesEndpoint(jobQueue);
	}

}
