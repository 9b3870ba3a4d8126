package dev.protevus.boot.autoconfigure.async;

import dev.protevus.boot.async.EventLoopLag;
import dev.protevus.boot.async.EventLoopLagMonitor;
import dev.protevus.boot.async.WorkerPoolProblemMapper;
import dev.protevus.boot.task.BackgroundScheduler;
import reactor.netty.resources.LoopResources;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.ProblemDetail;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.web.server.ServerWebExchange;

/**
 * The parts of asynchronous processing that depend on optional libraries.
 */
abstract class AsyncConfigurations {

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
