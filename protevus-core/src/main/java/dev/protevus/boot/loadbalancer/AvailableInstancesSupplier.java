package dev.protevus.boot.loadbalancer;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import reactor.core.publisher.Flux;
import reactor.util.context.ContextView;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.Request;
import org.springframework.cloud.client.loadbalancer.RetryableRequestContext;
import org.springframework.cloud.loadbalancer.core.DelegatingServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;

/**
 * Narrows the instances that any supplier (static list, discovery client) gives to those
 * that may get traffic (see {@link ServiceState#available}), so that every strategy,
 * Spring Cloud LoadBalancer's own included, skips unhealthy, ejected and open-breaker
 * instances and those a retried request already tried. A service without any instance
 * fails with {@link NoInstanceAvailableException}.
 *
 * @since 0.1.0
 */
public class AvailableInstancesSupplier extends DelegatingServiceInstanceListSupplier {

	private final ServiceState service;

	public AvailableInstancesSupplier(ServiceInstanceListSupplier delegate, ServiceState service) {
		super(delegate);
		this.service = service;
	}

	@Override
	public Flux<List<ServiceInstance>> get() {
		return Flux.deferContextual((context) -> this.delegate.get().map((all) -> available(all, Set.of(), context)));
	}

	@Override
	public Flux<List<ServiceInstance>> get(Request request) {
		return Flux.deferContextual(
				(context) -> this.delegate.get(request).map((all) -> available(all, previous(request), context)));
	}

	private List<ServiceInstance> available(List<ServiceInstance> all, Set<String> previous, ContextView context) {
		if (all.isEmpty()) {
			throw new NoInstanceAvailableException(this.service.serviceId(), this.service.retryAfter());
		}
		Set<String> tried = LoadBalancerRetryFilter.tried(context);
		if (!previous.isEmpty()) {
			Set<String> union = new HashSet<>(tried);
			union.addAll(previous);
			tried = union;
		}
		return this.service.available(all, tried);
	}

	private static Set<String> previous(Request<?> request) {
		if (request.getContext() instanceof RetryableRequestContext retryable
				&& retryable.getPreviousServiceInstance() != null) {
			return Set.of(InstanceState.key(retryable.getPreviousServiceInstance()));
		}
		return Set.of();
	}

}
