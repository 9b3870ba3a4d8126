package dev.protevus.sample.bookstore;

import java.util.List;

import reactor.core.publisher.Flux;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.web.reactive.function.client.WebClientCustomizer;
import org.springframework.cloud.client.DefaultServiceInstance;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.LoadBalanced;
import org.springframework.cloud.loadbalancer.annotation.LoadBalancerClient;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Load-balanced calls: a {@code @LoadBalanced WebClient.Builder}, and the {@code pricing}
 * service's one instance, which is this application on whatever port it listens on. With
 * a discovery client, or {@code protevus.loadbalancer.services.pricing.instances}, you
 * would not need the latter.
 */
@Configuration(proxyBeanMethods = false)
@LoadBalancerClient(name = "pricing", configuration = LoadBalancingConfiguration.PricingIsThisApplication.class)
class LoadBalancingConfiguration {

	/**
	 * Boot's own {@code WebClient.Builder} backs off to this one, so it gets Boot's
	 * customizers (codecs, observations) too.
	 */
	@Bean
	@LoadBalanced
	WebClient.Builder loadBalancedWebClientBuilder(ObjectProvider<WebClientCustomizer> customizers) {
		WebClient.Builder builder = WebClient.builder();
		customizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
		return builder;
	}

	/**
	 * The instances of {@code pricing}, in its own load-balancer context: this
	 * application, once its server has a port.
	 */
	static class PricingIsThisApplication {

		@Bean
		ServiceInstanceListSupplier pricingInstances(Environment environment) {
			return new ServiceInstanceListSupplier() {

				@Override
				public String getServiceId() {
					return "pricing";
				}

				@Override
				public Flux<List<ServiceInstance>> get() {
					return Flux.defer(() -> {
						int port = environment.getProperty("local.server.port", Integer.class, 8080);
						return Flux.just(List
							.of(new DefaultServiceInstance("pricing-self", "pricing", "127.0.0.1", port, false)));
					});
				}

			};
		}

	}

}
