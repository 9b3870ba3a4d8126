package dev.protevus.boot.autoconfigure.async;

import dev.protevus.boot.async.Offload;
import dev.protevus.boot.async.WorkerPools;
import dev.protevus.boot.autoconfigure.ConditionalOnProtevusEnabled;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
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
 * reactive web application, also the event-loop lag monitor. Backs off to a
 * {@link WorkerPools} of the application's own, which {@code @Offload} then uses.
 *
 * @since 0.1.0
 */
@AutoConfiguration(
		after = { ReactiveWebServerFactoryAutoConfiguration.class, ClientHttpConnectorAutoConfiguration.class })
@ConditionalOnProtevusEnabled
@ConditionalOnClass(Mono.class)
@EnableConfigurationProperties(AsyncProperties.class)
@Import(AsyncConfigurations.EventLoopLagConfiguration.class)
public class AsyncAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(WorkerPools.class)
	ExecutorWorkerPools workerPools(AsyncProperties properties, ObjectProvider<WorkerPoolMeters> meters) {
		return new ExecutorWorkerPools(AsyncSettings.pools(properties, Runtime.getRuntime().availableProcessors()),
				AsyncSettings.awaitTermination(properties), meters.getIfAvailable());
	}

	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static OffloadBeanPostProcessor offloadBeanPostProcessor() {
		return new OffloadBeanPostProcessor();
	}

}
