package dev.protevus.boot.autoconfigure.async;

import java.time.Duration;
import java.util.List;

import dev.protevus.boot.actuate.async.WorkerPoolMeters;
import dev.protevus.boot.async.ExecutorWorkerPools;
import dev.protevus.boot.async.Offload;
import dev.protevus.boot.async.OffloadBeanPostProcessor;
import dev.protevus.boot.async.WorkerPoolSettings;
import dev.protevus.boot.async.WorkerPools;
import dev.protevus.boot.autoconfigure.ConditionalOnProtevusEnabled;
import dev.protevus.boot.autoconfigure.ProtevusAutoConfiguration;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.http.client.reactive.ClientHttpConnectorAutoConfiguration;
import org.springframework.boot.autoconfigure.web.reactive.ReactiveWebServerFactoryAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Role;

/**
 * Provides {@link WorkerPools}, the named bounded pools that keep CPU-heavy and blocking
 * work off the Netty event loops, and {@link Offload @Offload} for bean methods; in a
 * reactive web application, also the event-loop lag monitor (probing from the shared
 * background scheduler) and the 503 problem for a full pool. Backs off to a
 * {@link WorkerPools} of the application's own, which {@code @Offload} then uses.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = { ProtevusAutoConfiguration.class, ReactiveWebServerFactoryAutoConfiguration.class,
		ClientHttpConnectorAutoConfiguration.class })
@ConditionalOnProtevusEnabled
@ConditionalOnBooleanProperty(name = "protevus.async.enabled", matchIfMissing = true)
@ConditionalOnClass(Mono.class)
@EnableConfigurationProperties(AsyncProperties.class)
@Import({ AsyncConfigurations.EventLoopLagConfiguration.class, AsyncConfigurations.ProblemMapperConfiguration.class })
public class AsyncAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(WorkerPools.class)
	ExecutorWorkerPools workerPools(AsyncProperties properties, ObjectProvider<WorkerPoolMeters> meters) {
		List<WorkerPoolSettings> pools = AsyncSettings.pools(properties, Runtime.getRuntime().availableProcessors());
		Duration awaitTermination = AsyncSettings.awaitTermination(properties);
		WorkerPoolMeters poolMeters = meters.getIfAvailable();
		return (poolMeters != null) ? new ExecutorWorkerPools(pools, awaitTermination, poolMeters::bind)
				: new ExecutorWorkerPools(pools, awaitTermination);
	}

	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static OffloadBeanPostProcessor offloadBeanPostProcessor() {
		return new OffloadBeanPostProcessor();
	}

}
