package dev.protevus.boot.autoconfigure.async;

import java.time.Duration;
import java.util.List;

import dev.protevus.boot.actuate.async.EventLoopLagMeters;
import dev.protevus.boot.actuate.async.WorkerPoolMeters;
import dev.protevus.boot.async.EventLoopLag;
import dev.protevus.boot.async.EventLoopLagMonitor;
import dev.protevus.boot.async.ExecutorWorkerPools;
import dev.protevus.boot.async.OffloadBeanPostProcessor;
import dev.protevus.boot.async.WorkerPoolProblemMapper;
import dev.protevus.boot.async.WorkerPoolSettings;
import dev.protevus.boot.async.WorkerPools;
import dev.protevus.boot.task.BackgroundScheduler;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.netty.resources.LoopResources;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;
import org.springframework.http.ProblemDetail;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.web.server.ServerWebExchange;

/**
 * The configurations of asynchronous processing, shared by the Spring Boot 3.5 and 4
 * lines, whose {@code AsyncAutoConfiguration} and {@code AsyncMetricsAutoConfiguration}
 * import them.
 */
abstract class AsyncConfigurations {

	/**
	 * The worker pools and the post-processor that runs {@code @Offload} methods on them.
	 */
	@Configuration(proxyBeanMethods = false)
	static class WorkerPoolsConfiguration {

		@Bean
		@ConditionalOnMissingBean(WorkerPools.class)
		ExecutorWorkerPools workerPools(AsyncProperties properties, ObjectProvider<WorkerPoolMeters> meters) {
			List<WorkerPoolSettings> pools = AsyncSettings.pools(properties,
					Runtime.getRuntime().availableProcessors());
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

	/**
	 * Meters of the worker pools and of the event loops' lag.
	 */
	@Configuration(proxyBeanMethods = false)
	static class MetricsConfiguration {

		/**
		 * Instruments the pools as they are created, since Micrometer's task timers wrap
		 * the executor that the pools' schedulers run on.
		 */
		@Bean
		@ConditionalOnBean(ExecutorWorkerPools.class)
		WorkerPoolMeters workerPoolMeters(MeterRegistry registry) {
			return new WorkerPoolMeters(registry);
		}

		/**
		 * A meter binder, which Spring Boot binds to every registry.
		 */
		@Bean
		@ConditionalOnBean(EventLoopLag.class)
		@ConditionalOnMissingBean
		EventLoopLagMeters eventLoopLagMeters(EventLoopLag eventLoopLag) {
			return new EventLoopLagMeters(eventLoopLag);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
	@ConditionalOnClass({ ReactorResourceFactory.class, LoopResources.class })
	@ConditionalOnBean({ ReactorResourceFactory.class, BackgroundScheduler.class })
	@ConditionalOnBooleanProperty(name = "protevus.async.event-loop-lag.enabled", matchIfMissing = true)
	static class EventLoopLagConfiguration {

		/**
		 * Probes the event loops that Reactor Netty's server runs on, which the
		 * application's Reactor Netty clients share by default.
		 */
		@Bean
		@ConditionalOnMissingBean(EventLoopLag.class)
		EventLoopLagMonitor eventLoopLag(ReactorResourceFactory resources, BackgroundScheduler scheduler,
				AsyncProperties properties) {
			return new EventLoopLagMonitor(() -> resources.getLoopResources().onServer(LoopResources.DEFAULT_NATIVE),
					scheduler, AsyncSettings.lagInterval(properties), AsyncSettings.lagWindow(properties));
		}

	}

	/**
	 * The problem that the web layer answers a full pool with; its generic mapping of
	 * rejected executions stays the fallback.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
	@ConditionalOnClass({ ProblemDetail.class, ServerWebExchange.class })
	static class ProblemMapperConfiguration {

		@Bean
		@ConditionalOnMissingBean
		WorkerPoolProblemMapper workerPoolProblemMapper() {
			return new WorkerPoolProblemMapper();
		}

	}

}
