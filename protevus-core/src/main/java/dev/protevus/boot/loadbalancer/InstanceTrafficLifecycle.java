package dev.protevus.boot.loadbalancer;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.CompletionContext;
import org.springframework.cloud.client.loadbalancer.LoadBalancerLifecycle;
import org.springframework.cloud.client.loadbalancer.Request;
import org.springframework.cloud.client.loadbalancer.Response;
import org.springframework.cloud.client.loadbalancer.ResponseData;
import org.springframework.http.HttpStatusCode;

/**
 * Feeds the {@link LoadBalancerRegistry} from Spring Cloud LoadBalancer's lifecycle
 * hooks, which {@code @LoadBalanced WebClient}, {@code RestTemplate} and Spring Cloud
 * Gateway all call: counts requests in flight per instance for least-connections, and
 * reports failures (5xx, connection failures, time-outs) to outlier detection and the
 * instance's circuit breaker.
 * <p>
 * The hooks report a request as complete when its response headers arrive; an exchange
 * cancelled before that is not reported by Spring Cloud LoadBalancer's filters, so
 * {@link LoadBalancerRetryFilter}, first on every {@code @LoadBalanced WebClient}, ends
 * the request's count when its caller cancels, and {@link GatewayInFlightFilter} does the
 * same on Spring Cloud Gateway.
 *
 * @since 0.1.0
 */
@SuppressWarnings("rawtypes")
public class InstanceTrafficLifecycle implements LoadBalancerLifecycle<Object, Object, ServiceInstance> {

	private final LoadBalancerRegistry registry;

	public InstanceTrafficLifecycle(LoadBalancerRegistry registry) {
		this.registry = registry;
	}

	@Override
	public boolean supports(Class requestContextClass, Class responseClass, Class serverTypeClass) {
		return ServiceInstance.class.isAssignableFrom(serverTypeClass);
	}

	@Override
	public void onStart(Request<Object> request) {
	}

	@Override
	public void onStartRequest(Request<Object> request, Response<ServiceInstance> lbResponse) {
		InstanceState state = state(lbResponse);
		if (state == null) {
			return;
		}
		InFlightRequest inFlight = InFlightRequest.of(request);
		if (inFlight != null) {
			inFlight.started(state);
		}
		else {
			state.requestStarted();
		}
	}

	@Override
	public void onComplete(CompletionContext<Object, ServiceInstance, Object> completion) {
		if (completion.status() == CompletionContext.Status.DISCARD) {
			return;
		}
		InstanceState state = state(completion.getLoadBalancerResponse());
		if (state == null) {
			return;
		}
		InFlightRequest inFlight = InFlightRequest.of(completion.getLoadBalancerRequest());
		if (inFlight == null) {
			state.requestEnded();
		}
		else if (!inFlight.end()) {
			// The caller cancelled it first, which ended it already.
			return;
		}
		ServiceState service = this.registry.service(state.serviceId());
		if (completion.status() == CompletionContext.Status.FAILED) {
			service.failed(state, (completion.getThrowable() != null) ? completion.getThrowable()
					: new IllegalStateException("Request failed"));
			return;
		}
		HttpStatusCode status = (completion.getClientResponse() instanceof ResponseData data) ? data.getHttpStatus()
				: null;
		if (status != null && status.is5xxServerError()) {
			service.failed(state, new ServerErrorStatus(status.value()));
		}
		else {
			service.succeeded(state);
		}
	}

	private InstanceState state(Response<ServiceInstance> response) {
		if (response == null || !response.hasServer()) {
			return null;
		}
		ServiceInstance instance = response.getServer();
		return this.registry.service(instance.getServiceId()).state(instance);
	}

	/**
	 * A response with a 5xx status, as reported to an instance's circuit breaker.
	 */
	static final class ServerErrorStatus extends RuntimeException {

		ServerErrorStatus(int status) {
			super("Status " + status, null, false, false);
		}

	}

}
