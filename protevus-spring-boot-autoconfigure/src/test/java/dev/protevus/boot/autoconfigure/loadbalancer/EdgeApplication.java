package dev.protevus.boot.autoconfigure.loadbalancer;

import dev.protevus.boot.autoconfigure.ProtevusAutoConfiguration;
import dev.protevus.boot.autoconfigure.web.WebLayerAutoConfiguration;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.http.codec.CodecsAutoConfiguration;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.autoconfigure.web.embedded.EmbeddedWebServerFactoryCustomizerAutoConfiguration;
import org.springframework.boot.autoconfigure.web.reactive.HttpHandlerAutoConfiguration;
import org.springframework.boot.autoconfigure.web.reactive.ReactiveWebServerFactoryAutoConfiguration;
import org.springframework.boot.autoconfigure.web.reactive.WebFluxAutoConfiguration;
import org.springframework.boot.autoconfigure.web.reactive.error.ErrorWebFluxAutoConfiguration;
import org.springframework.boot.autoconfigure.web.reactive.function.client.WebClientAutoConfiguration;
import org.springframework.cloud.client.loadbalancer.LoadBalanced;
import org.springframework.cloud.client.loadbalancer.reactive.LoadBalancerBeanPostProcessorAutoConfiguration;
import org.springframework.cloud.client.loadbalancer.reactive.ReactorLoadBalancerClientAutoConfiguration;
import org.springframework.cloud.loadbalancer.config.LoadBalancerAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * A server that calls load-balanced services with a {@code @LoadBalanced WebClient}:
 * {@code GET /call/{service}} answers with the body of {@code http://{service}/who}.
 */
@Configuration(proxyBeanMethods = false)
@ImportAutoConfiguration({ ReactiveWebServerFactoryAutoConfiguration.class,
		EmbeddedWebServerFactoryCustomizerAutoConfiguration.class, WebFluxAutoConfiguration.class,
		ErrorWebFluxAutoConfiguration.class, HttpHandlerAutoConfiguration.class, JacksonAutoConfiguration.class,
		CodecsAutoConfiguration.class, WebClientAutoConfiguration.class, ProtevusAutoConfiguration.class,
		WebLayerAutoConfiguration.class, LoadBalancerAutoConfiguration.class,
		LoadBalancerBeanPostProcessorAutoConfiguration.class, ReactorLoadBalancerClientAutoConfiguration.class,
		ProtevusLoadBalancerAutoConfiguration.class })
class EdgeApplication {

	@Bean
	@LoadBalanced
	WebClient.Builder loadBalancedWebClientBuilder() {
		return WebClient.builder();
	}

	@Bean
	CircuitBreakerRegistry circuitBreakerRegistry() {
		return CircuitBreakerRegistry.ofDefaults();
	}

	@Bean
	RouterFunction<ServerResponse> calls(WebClient.Builder loadBalancedWebClientBuilder) {
		WebClient client = loadBalancedWebClientBuilder.build();
		return RouterFunctions.route()
			.GET("/call/{service}",
					(request) -> client.get()
						.uri("http://" + request.pathVariable("service") + "/who")
						.retrieve()
						.bodyToMono(String.class)
						.flatMap((body) -> ServerResponse.ok().bodyValue(body)))
			.build();
	}

}
