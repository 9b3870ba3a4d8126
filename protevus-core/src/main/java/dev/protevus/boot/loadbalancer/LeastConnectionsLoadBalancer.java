package dev.protevus.boot.loadbalancer;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import reactor.core.publisher.Mono;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.DefaultResponse;
import org.springframework.cloud.client.loadbalancer.EmptyResponse;
import org.springframework.cloud.client.loadbalancer.Request;
import org.springframework.cloud.client.loadbalancer.Response;
import org.springframework.cloud.loadbalancer.core.ReactorServiceInstanceLoadBalancer;
import org.springframework.cloud.loadbalancer.core.SelectedInstanceCallback;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;

/**
 * Sends each request to the instance with the fewest requests in flight relative to its
 * {@code weight} metadata, ties broken at random. Up to {@value #FULL_SCAN_LIMIT}
 * instances are all compared; above, two instances drawn at random are (power of two
 * choices, Envoy's default), so that a choice costs the same however many instances there
 * are. Requests in flight are counted by {@link InstanceTrafficLifecycle}.
 *
 * @since 0.1.0
 */
public class LeastConnectionsLoadBalancer implements ReactorServiceInstanceLoadBalancer {

	/**
	 * Instance count up to which every instance is compared.
	 */
	public static final int FULL_SCAN_LIMIT = 5;

	private final ServiceInstanceListSupplier supplier;

	private final ServiceState service;

	/**
	 * Creates a load balancer.
	 * @param supplier the instances that may get traffic
	 * @param service the service's state, which counts requests in flight
	 */
	public LeastConnectionsLoadBalancer(ServiceInstanceListSupplier supplier, ServiceState service) {
		this.supplier = supplier;
		this.service = service;
	}

	@Override
	@SuppressWarnings("rawtypes")
	public Mono<Response<ServiceInstance>> choose(Request request) {
		return this.supplier.get(request).next().map(this::choose);
	}

	/**
	 * Chooses among instances.
	 * @param instances the instances that may get traffic
	 * @return the response holding the chosen one
	 */
	public Response<ServiceInstance> choose(List<ServiceInstance> instances) {
		if (instances.isEmpty()) {
			return new EmptyResponse();
		}
		ServiceInstance chosen = (instances.size() <= FULL_SCAN_LIMIT) ? leastLoaded(instances) : twoChoices(instances);
		if (this.supplier instanceof SelectedInstanceCallback callback) {
			callback.selectedServiceInstance(chosen);
		}
		return new DefaultResponse(chosen);
	}

	private ServiceInstance leastLoaded(List<ServiceInstance> instances) {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		ServiceInstance best = null;
		InstanceState bestState = null;
		int ties = 0;
		for (ServiceInstance instance : instances) {
			InstanceState state = this.service.state(instance);
			int comparison = (best != null) ? compare(state, bestState) : -1;
			if (comparison < 0) {
				best = instance;
				bestState = state;
				ties = 1;
			}
			else if (comparison == 0 && random.nextInt(++ties) == 0) {
				// Reservoir sampling keeps each tied instance equally likely.
				best = instance;
				bestState = state;
			}
		}
		return best;
	}

	private ServiceInstance twoChoices(List<ServiceInstance> instances) {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		int size = instances.size();
		int first = random.nextInt(size);
		int second = random.nextInt(size - 1);
		if (second >= first) {
			second++;
		}
		ServiceInstance a = instances.get(first);
		ServiceInstance b = instances.get(second);
		int comparison = compare(this.service.state(a), this.service.state(b));
		if (comparison == 0) {
			return random.nextBoolean() ? a : b;
		}
		return (comparison < 0) ? a : b;
	}

	/**
	 * Compares in-flight requests per unit of weight without dividing.
	 */
	private static int compare(InstanceState a, InstanceState b) {
		return Long.compare((long) a.inFlight() * b.weight(), (long) b.inFlight() * a.weight());
	}

}
