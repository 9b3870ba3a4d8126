package dev.protevus.boot.autoconfigure.loadbalancer;

import dev.protevus.boot.actuate.loadbalancer.LoadBalancerMeterBinder;
import dev.protevus.boot.loadbalancer.ActiveHealthChecks;
import dev.protevus.boot.loadbalancer.ClientAddressWebFilter;
import dev.protevus.boot.loadbalancer.GatewayInFlightFilter;
import dev.protevus.boot.loadbalancer.InstanceBreaker;
import dev.protevus.boot.loadbalancer.InstanceTrafficLifecycle;
import dev.protevus.boot.loadbalancer.LoadBalancerProblemMapper;
import dev.protevus.boot.loadbalancer.LoadBalancerRegistry;
import dev.protevus.boot.loadbalancer.LoadBalancerRetryFilter;
import dev.protevus.boot.loadbalancer.Resilience4jInstanceBreakers;
import dev.protevus.boot.task.BackgroundScheduler;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.reactor.retry.RetryOperator;
import io.github.resilience4j.retry.RetryRegistry;

import org.springframework.beans.BeansException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.cloud.client.loadbalancer.LoadBalanced;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.ReactiveLoadBalancerClientFilter;
import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.web.reactive.DispatcherHandler;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The optional parts of load balancing, each switched on by its library.
 */
abstract class LoadBalancerConfigurations {

	/**
	 * A resilience4j circuit breaker per instance, from the application's registry.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(CircuitBreakerRegistry.class)
	static class CircuitBreakerConfiguration {

		@Bean
		@ConditionalOnMissingBean
		InstanceBreaker.Factory protevusLoadBalancerInstanceBreakers(
				ObjectProvider<CircuitBreakerRegistry> registries) {
			return new Resilience4jInstanceBreakers(registries.getIfAvailable(CircuitBreakerRegistry::ofDefaults));
		}

	}

	/**
	 * Failover through resilience4j for {@code @LoadBalanced WebClient.Builder} beans,
	 * unless Spring Cloud LoadBalancer's own retry
	 * ({@code spring.cloud.loadbalancer.retry.enabled=true}) is on.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ WebClient.class, RetryRegistry.class, RetryOperator.class })
	@ConditionalOnBooleanProperty(name = "spring.cloud.loadbalancer.retry.enabled", havingValue = false,
			matchIfMissing = true)
	static class RetryConfiguration {

		@Bean
		@ConditionalOnMissingBean
		LoadBalancerRetryFilter protevusLoadBalancerRetryFilter(LoadBalancerSettings settings,
				ObjectProvider<RetryRegistry> registries) {
			return new LoadBalancerRetryFilter(settings, registries.getIfAvailable(RetryRegistry::ofDefaults));
		}

		@Bean
		static BeanPostProcessor protevusLoadBalancedWebClientRetry(ObjectProvider<LoadBalancerRetryFilter> filters,
				ConfigurableListableBeanFactory beanFactory) {
			return new BeanPostProcessor() {

				@Override
				public Object postProcessBeforeInitialization(Object bean, String beanName) throws BeansException {
					if (bean instanceof WebClient.Builder builder && beanFactory.containsBeanDefinition(beanName)
							&& beanFactory.findAnnotationOnBean(beanName, LoadBalanced.class) != null) {
						// First, so that every attempt goes through the load balancer's
						// filter and chooses again.
						ExchangeFilterFunction retry = (request, next) -> filters.getObject().filter(request, next);
						builder.filters((list) -> list.add(0, retry));
					}
					return bean;
				}

			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(DispatcherHandler.class)
	static class WebConfiguration {

		@Bean
		@ConditionalOnMissingBean
		LoadBalancerProblemMapper loadBalancerProblemMapper() {
			return new LoadBalancerProblemMapper();
		}

		@Bean
		@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
		@ConditionalOnMissingBean
		ClientAddressWebFilter loadBalancerClientAddressWebFilter() {
			return new ClientAddressWebFilter();
		}

	}

	/**
	 * Ends the in-flight count of Spring Cloud Gateway requests that are cancelled.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ GlobalFilter.class, ReactiveLoadBalancerClientFilter.class })
	static class GatewayConfiguration {

		@Bean
		@ConditionalOnMissingBean
		GatewayInFlightFilter protevusGatewayInFlightFilter() {
			return new GatewayInFlightFilter();
		}

	}

	/**
	 * Meters of the load-balanced instances.
	 */
	@Configuration(proxyBeanMethods = false)
	static class MetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		LoadBalancerMeterBinder loadBalancerMeterBinder(LoadBalancerRegistry registry) {
			return new LoadBalancerMeterBinder(registry);
		}

	}

	/**
	 * The settings, the registry of load-balanced instances, their traffic lifecycle and
	 * health checks, and the warm-up of the configured services' load balancers.
	 */
	@Configuration(proxyBeanMethods = false)
	static class RegistryConfiguration {

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
		ActiveHealthChecks protevusLoadBalancerHealthChecks(LoadBalancerRegistry registry,
				BackgroundScheduler scheduler) {
			return new ActiveHealthChecks(registry, scheduler);
		}

		/**
		 * Creates the load balancers of the configured services at start-up rather than
		 * on their first request, which may run on an event loop, and starts their health
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

}
