package dev.protevus.boot.autoconfigure.loadbalancer;

import java.util.List;

import dev.protevus.boot.loadbalancer.AvailableInstancesSupplier;
import dev.protevus.boot.loadbalancer.ConsistentHashLoadBalancer;
import dev.protevus.boot.loadbalancer.LeastConnectionsLoadBalancer;
import dev.protevus.boot.loadbalancer.LoadBalancerRegistry;
import dev.protevus.boot.loadbalancer.ServiceSettings;
import dev.protevus.boot.loadbalancer.ServiceState;
import dev.protevus.boot.loadbalancer.StaticServiceInstanceListSupplier;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.SearchStrategy;
import org.springframework.cloud.loadbalancer.core.RandomLoadBalancer;
import org.springframework.cloud.loadbalancer.core.ReactorLoadBalancer;
import org.springframework.cloud.loadbalancer.core.ReactorServiceInstanceLoadBalancer;
import org.springframework.cloud.loadbalancer.core.RoundRobinLoadBalancer;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.core.WeightedServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Each load-balanced service's load balancer, in its Spring Cloud LoadBalancer child
 * context; backs off to a load balancer of the application's own
 * ({@code @LoadBalancerClient(configuration = ...)}).
 */
@Configuration(proxyBeanMethods = false)
class ProtevusLoadBalancerClientConfiguration {

	@Bean
	@ConditionalOnMissingBean(value = ReactorLoadBalancer.class, search = SearchStrategy.CURRENT)
	ReactorServiceInstanceLoadBalancer protevusReactorLoadBalancer(Environment environment,
			ObjectProvider<ServiceInstanceListSupplier> suppliers, LoadBalancerSettings settings,
			LoadBalancerRegistry registry) {
		String serviceId = LoadBalancerClientFactory.getName(environment);
		ServiceSettings service = settings.apply(serviceId);
		ServiceState state = registry.service(serviceId);
		ServiceInstanceListSupplier base;
		if (!service.instances().isEmpty()) {
			StaticServiceInstanceListSupplier instances = new StaticServiceInstanceListSupplier(serviceId,
					service.instances());
			// Known up front, so that health checks and meters start before traffic.
			instances.instances().forEach(state::state);
			base = instances;
		}
		else {
			base = suppliers.getIfAvailable(() -> new StaticServiceInstanceListSupplier(serviceId, List.of()));
		}
		ServiceInstanceListSupplier available = new AvailableInstancesSupplier(base, state);
		return switch (settings.strategy(serviceId)) {
			case ROUND_ROBIN -> new RoundRobinLoadBalancer(provider(available), serviceId);
			case RANDOM -> new RandomLoadBalancer(provider(available), serviceId);
			case WEIGHTED ->
				new RoundRobinLoadBalancer(provider(new WeightedServiceInstanceListSupplier(available)), serviceId);
			case LEAST_CONNECTIONS -> new LeastConnectionsLoadBalancer(available, state);
			case IP_HASH -> new ConsistentHashLoadBalancer(available, service.hashKey());
		};
	}

	private static ObjectProvider<ServiceInstanceListSupplier> provider(ServiceInstanceListSupplier supplier) {
		StaticListableBeanFactory beans = new StaticListableBeanFactory();
		beans.addBean("serviceInstanceListSupplier", supplier);
		return beans.getBeanProvider(ServiceInstanceListSupplier.class);
	}

}
