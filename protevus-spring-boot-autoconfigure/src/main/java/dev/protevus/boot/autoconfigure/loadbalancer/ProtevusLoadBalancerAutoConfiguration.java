package dev.protevus.boot.autoconfigure.loadbalancer;

import dev.protevus.boot.autoconfigure.ConditionalOnProtevusEnabled;
import dev.protevus.boot.autoconfigure.ProtevusAutoConfiguration;
import dev.protevus.boot.loadbalancer.ActiveHealthChecks;
import dev.protevus.boot.loadbalancer.InstanceBreaker;
import dev.protevus.boot.loadbalancer.InstanceTrafficLifecycle;
import dev.protevus.boot.loadbalancer.LoadBalancerRegistry;
import dev.protevus.boot.task.BackgroundScheduler;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.loadbalancer.annotation.LoadBalancerClients;
import org.springframework.cloud.loadbalancer.core.ReactorServiceInstanceLoadBalancer;
import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;

/**
 * Protevus load balancing on Spring Cloud LoadBalancer: each service's strategy, static
 * instances, health checks, outlier ejection and failover, from
 * {@code protevus.loadbalancer.*}. Per-service load balancers are contributed through
 * Spring Cloud LoadBalancer's own per-client configuration, so that an application's
 * {@code @LoadBalancerClient(configuration = ...)} load balancer wins.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = ProtevusAutoConfiguration.class,
		afterName = { "io.github.resilience4j.springboot3.circuitbreaker.autoconfigure.CircuitBreakerAutoConfiguration",
				"io.github.resilience4j.springboot3.retry.autoconfigure.RetryAutoConfiguration" })
@ConditionalOnProtevusEnabled
@ConditionalOnBooleanProperty(name = "protevus.loadbalancer.enabled", matchIfMissing = true)
@ConditionalOnClass({ ReactorServiceInstanceLoadBalancer.class, LoadBalancerClientFactory.class, Mono.class })
@ConditionalOnBooleanProperty(name = "spring.cloud.loadbalancer.enabled", matchIfMissing = true)
@EnableConfigurationProperties(LoadBalancerProperties.class)
@LoadBalancerClients(defaultConfiguration = ProtevusLoadBalancerClientConfiguration.class)
@Import({ LoadBalancerConfigurations.CircuitBreakerConfiguration.class,
		LoadBalancerConfigurations.RetryConfiguration.class, LoadBalancerConfigurations.WebConfiguration.class,
		LoadBalancerConfigurations.GatewayConfiguration.class })
public class ProtevusLoadBalancerAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	LoadBalancerSettings protevusLoadBalancerSettings(LoadBalancerProperties properties, Environment environment) {
		return new LoadBalancerSettings(properties, environment);
	}

	@Bean
	@ConditionalOnMissingBean
	LoadBalancerRegistry protevusLoadBalancerRegistry(LoadBalancerSettings settings,
			ObjectProvider<InstanceBreaker.Factory> breakers) {
		return new LoadBalancerRegistry(settings, breakers.getIfAvailable(() -> InstanceBreaker.Factory.NONE));
	}

	@Bean
	@ConditionalOnMissingBean
	InstanceTrafficLifecycle protevusInstanceTrafficLifecycle(LoadBalancerRegistry registry) {
		return new InstanceTrafficLifecycle(registry);
	}

	@Bean(destroyMethod = "dispose")
	@ConditionalOnBean(BackgroundScheduler.class)
	@ConditionalOnMissingBean
	ActiveHealthChecks protevusLoadBalancerHealthChecks(LoadBalancerRegistry registry, BackgroundScheduler scheduler) {
		return new ActiveHealthChecks(registry, scheduler);
	}

	/**
	 * Creates the load balancers of the configured services at start-up rather than on
	 * their first request, which may run on an event loop, and starts their health
	 * checks.
	 */
	@Bean
	SmartInitializingSingleton protevusLoadBalancerWarmup(LoadBalancerSettings settings,
			ObjectProvider<LoadBalancerClientFactory> factories) {
		return () -> {
			LoadBalancerClientFactory factory = factories.getIfAvailable();
			if (factory != null) {
				settings.configuredServices().forEach(factory::getInstance);
			}
		};
	}

}
