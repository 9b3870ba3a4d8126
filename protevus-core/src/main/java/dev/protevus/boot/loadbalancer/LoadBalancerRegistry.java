package dev.protevus.boot.loadbalancer;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The state of every load-balanced service, shared by the strategies, the lifecycle that
 * counts requests, the health checks, the meters and the endpoint.
 *
 * @since 0.1.0
 */
public class LoadBalancerRegistry implements LoadBalancerState {

	private final Function<String, ServiceSettings> settings;

	private final InstanceBreaker.Factory breakers;

	private final Map<String, ServiceState> services = new ConcurrentHashMap<>();

	private final List<Consumer<InstanceState>> listeners = new CopyOnWriteArrayList<>();

	/**
	 * Creates a registry.
	 * @param settings the settings of each service, by name
	 * @param breakers creates each instance's circuit breaker
	 */
	public LoadBalancerRegistry(Function<String, ServiceSettings> settings, InstanceBreaker.Factory breakers) {
		this.settings = settings;
		this.breakers = breakers;
	}

	/**
	 * The state of a service, created on first use.
	 * @param serviceId the service
	 * @return its state
	 */
	public ServiceState service(String serviceId) {
		return this.services.computeIfAbsent(serviceId,
				(id) -> new ServiceState(this.settings.apply(id), this.breakers, this::instanceAdded));
	}

	/**
	 * Every service seen so far.
	 * @return the services by name
	 */
	public Map<String, ServiceState> services() {
		return this.services;
	}

	/**
	 * Calls back for every instance, those seen so far and those seen later.
	 * @param listener the callback
	 */
	public void onInstance(Consumer<InstanceState> listener) {
		this.listeners.add(listener);
		this.services.values().forEach((service) -> service.instances().forEach(listener));
	}

	private void instanceAdded(InstanceState instance) {
		this.listeners.forEach((listener) -> listener.accept(instance));
	}

	@Override
	public Set<String> serviceIds() {
		return new TreeSet<>(this.services.keySet());
	}

	@Override
	public int healthyInstances(String serviceId) {
		ServiceState service = this.services.get(serviceId);
		return (service != null) ? (int) service.instances().stream().filter(InstanceState::available).count() : 0;
	}

	@Override
	public int totalInstances(String serviceId) {
		ServiceState service = this.services.get(serviceId);
		return (service != null) ? service.instances().size() : 0;
	}

}
