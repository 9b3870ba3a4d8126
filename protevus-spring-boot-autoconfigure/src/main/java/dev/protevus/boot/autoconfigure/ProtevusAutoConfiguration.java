package dev.protevus.boot.autoconfigure;

import dev.protevus.boot.task.BackgroundScheduler;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * Root of Protevus: binds the settings shared by every feature and provides what features
 * share, such as the {@link BackgroundScheduler}. Feature auto-configurations live in
 * their own packages and, like this one, back off when {@code protevus.enabled=false}.
 *
 * @since 0.1.0
 */
@AutoConfiguration
@ConditionalOnProtevusEnabled
@EnableConfigurationProperties(ProtevusProperties.class)
@Import(ProtevusAutoConfiguration.SchedulerConfiguration.class)
public class ProtevusAutoConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(Mono.class)
	static class SchedulerConfiguration {

		@Bean(destroyMethod = "dispose")
		@ConditionalOnMissingBean
		BackgroundScheduler protevusBackgroundScheduler(ProtevusProperties properties) {
			ProtevusProperties.Scheduler scheduler = properties.getScheduler();
			String prefix = ProtevusProperties.PREFIX + ".scheduler.";
			return new BackgroundScheduler(
					(int) PropertyChecks.positive(prefix + "threads", scheduler.getThreads(), "2"),
					(int) PropertyChecks.positive(prefix + "queue-capacity", scheduler.getQueueCapacity(), "1000"));
		}

	}

}
