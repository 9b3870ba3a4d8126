package dev.protevus.boot.autoconfigure.loadbalancer;

import dev.protevus.boot.autoconfigure.ConditionalOnProtevusEnabled;
import dev.protevus.boot.autoconfigure.ProtevusAutoConfiguration;
import io.github.resilience4j.springboot.circuitbreaker.autoconfigure.CircuitBreakerAutoConfiguration;
import io.github.resilience4j.springboot.retry.autoconfigure.RetryAutoConfiguration;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.loadbalancer.annotation.LoadBalancerClients;
import org.springframework.cloud.loadbalancer.core.ReactorServiceInstanceLoadBalancer;
import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;
import org.springframework.context.annotation.Import;

/**
 * Protevus load balancing on Spring Cloud LoadBalancer: each service's strategy, static
 * instances, health checks, outlier ejection and failover, from
 * {@code protevus.loadbalancer.*}. Per-service load balancers are contributed through
 * Spring Cloud LoadBalancer's own per-client configuration, so that an application's
 * {@code @LoadBalancerClient(configuration = ...)} load balancer wins.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = { ProtevusAutoConfiguration.class, CircuitBreakerAutoConfiguration.class,
		RetryAutoConfiguration.class })
@ConditionalOnProtevusEnabled
@ConditionalOnBooleanProperty(name = "protevus.loadbalancer.enabled", matchIfMissing = true)
@ConditionalOnClass({ ReactorServiceInstanceLoadBalancer.class, LoadBalancerClientFactory.class, Mono.class })
@ConditionalOnBooleanProperty(name = "spring.cloud.loadbalancer.enabled", matchIfMissing = true)
@EnableConfigurationProperties(LoadBalancerProperties.class)
@LoadBalancerClients(defaultConfiguration = ProtevusLoadBalancerClientConfiguration.class)
@Import({ LoadBalancerConfigurations.CircuitBreakerConfiguration.class,
		LoadBalancerConfigurations.RetryConfiguration.class, LoadBalancerConfigurations.WebConfiguration.class,
		LoadBalancerConfigurations.GatewayConfiguration.class, LoadBalancerConfigurations.RegistryConfiguration.class })
public class ProtevusLoadBalancerAutoConfiguration {

}
