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
 * Sends every request with the same key (client address, header or cookie, see
 * {@link HashKey}) to the same instance while it is available, through a {@link HashRing}
 * of the available instances: when one leaves, only its keys move, and they move back
 * when it returns. A request without a key goes to a random instance. The ring is rebuilt
 * only when the set of available instances changes.
 *
 * @since 0.1.0
 */
public class ConsistentHashLoadBalancer implements ReactorServiceInstanceLoadBalancer {

	private final ServiceInstanceListSupplier supplier;

	private final HashKey hashKey;

	private volatile HashRing ring = new HashRing(List.of());

	/**
	 * Creates a load balancer.
	 * @param supplier the instances that may get traffic
	 * @param hashKey what to hash
	 */
	public ConsistentHashLoadBalancer(ServiceInstanceListSupplier supplier, HashKey hashKey) {
		this.supplier = supplier;
		this.hashKey = hashKey;
	}

	@Override
	@SuppressWarnings({ "rawtypes", "unchecked" })
	public Mono<Response<ServiceInstance>> choose(Request request) {
		return Mono.deferContextual((context) -> this.supplier.get(request)
			.next()
			.map((instances) -> choose(instances, this.hashKey.of(request, context))));
	}

	/**
	 * Chooses among instances.
	 * @param instances the instances that may get traffic
	 * @param key the request's key, or {@code null}
	 * @return the response holding the chosen one
	 */
	public Response<ServiceInstance> choose(List<ServiceInstance> instances, String key) {
		if (instances.isEmpty()) {
			return new EmptyResponse();
		}
		ServiceInstance chosen = (key != null) ? ring(instances).get(key)
				: instances.get(ThreadLocalRandom.current().nextInt(instances.size()));
		if (this.supplier instanceof SelectedInstanceCallback callback) {
			callback.selectedServiceInstance(chosen);
		}
		return new DefaultResponse(chosen);
	}

	private HashRing ring(List<ServiceInstance> instances) {
		HashRing current = this.ring;
		if (!sameInstances(current.instances(), instances)) {
			current = new HashRing(instances);
			this.ring = current;
		}
		return current;
	}

	private static boolean sameInstances(List<ServiceInstance> a, List<ServiceInstance> b) {
		if (a.size() != b.size()) {
			return false;
		}
		for (int i = 0; i < a.size(); i++) {
			ServiceInstance x = a.get(i);
			ServiceInstance y = b.get(i);
			if (x != y && !(x.getHost().equals(y.getHost()) && x.getPort() == y.getPort()
					&& InstanceState.weight(x) == InstanceState.weight(y))) {
				return false;
			}
		}
		return true;
	}

}
