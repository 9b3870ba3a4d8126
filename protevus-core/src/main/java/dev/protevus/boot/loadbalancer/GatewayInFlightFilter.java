package dev.protevus.boot.loadbalancer;

import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.ReactiveLoadBalancerClientFilter;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;

/**
 * Ends a Spring Cloud Gateway request's in-flight count when the request is cancelled
 * (its client went away) before Gateway's load-balancer filter reported it complete,
 * which that filter does not do. Runs just before the load-balancer filter, once per
 * attempt, and hands its {@link InFlightRequest} over in the exchange's attributes, which
 * Gateway passes to Spring Cloud LoadBalancer's lifecycle hooks.
 *
 * @since 0.1.0
 */
public class GatewayInFlightFilter implements GlobalFilter, Ordered {

	@Override
	public int getOrder() {
		return ReactiveLoadBalancerClientFilter.LOAD_BALANCER_CLIENT_FILTER_ORDER - 1;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		return Mono.defer(() -> {
			InFlightRequest inFlight = new InFlightRequest();
			exchange.getAttributes().put(InFlightRequest.ATTRIBUTE, inFlight);
			return chain.filter(exchange).doOnCancel(inFlight::end);
		});
	}

}
