package dev.protevus.boot.loadbalancer;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

import org.springframework.cloud.client.DefaultServiceInstance;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.CompletionContext;
import org.springframework.cloud.client.loadbalancer.DefaultRequest;
import org.springframework.cloud.client.loadbalancer.DefaultResponse;
import org.springframework.cloud.client.loadbalancer.Request;
import org.springframework.cloud.client.loadbalancer.RequestData;
import org.springframework.cloud.client.loadbalancer.RequestDataContext;
import org.springframework.cloud.client.loadbalancer.Response;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Gateway request's in-flight count, fed as Gateway's load-balancer filter feeds it:
 * from a {@link RequestData} built of the exchange's request and attributes.
 */
class GatewayInFlightFilterTests {

	private final LoadBalancerRegistry registry = new LoadBalancerRegistry((id) -> ServiceSettings.defaults(id, "lc"),
			InstanceBreaker.Factory.NONE);

	private final InstanceTrafficLifecycle lifecycle = new InstanceTrafficLifecycle(this.registry);

	private final ServiceInstance instance = new DefaultServiceInstance("a", "pricing", "127.0.0.1", 9001, false);

	@Test
	void aRequestCancelledBeforeItsResponseIsNoLongerCounted() {
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/api/books"));
		Disposable request = new GatewayInFlightFilter().filter(exchange, (routed) -> {
			this.lifecycle.onStartRequest(request(routed), response());
			return Mono.never();
		}).subscribe();
		assertThat(state().inFlight()).isOne();
		request.dispose();
		assertThat(state().inFlight()).isZero();
	}

	@Test
	void aCompletedRequestIsCountedOutOnce() {
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/api/books"));
		GatewayFilterChain chain = (routed) -> Mono.fromRunnable(() -> {
			Request<Object> request = request(routed);
			this.lifecycle.onStartRequest(request, response());
			this.lifecycle.onComplete(new CompletionContext<Object, ServiceInstance, Object>(
					CompletionContext.Status.SUCCESS, request, response()));
		});
		new GatewayInFlightFilter().filter(exchange, chain).block(Duration.ofSeconds(5));
		assertThat(state().inFlight()).isZero();
	}

	private static Request<Object> request(org.springframework.web.server.ServerWebExchange exchange) {
		return new DefaultRequest<Object>(
				new RequestDataContext(new RequestData(exchange.getRequest(), exchange.getAttributes()), "default"));
	}

	private Response<ServiceInstance> response() {
		return new DefaultResponse(this.instance);
	}

	private InstanceState state() {
		return this.registry.service("pricing").state(this.instance);
	}

}
