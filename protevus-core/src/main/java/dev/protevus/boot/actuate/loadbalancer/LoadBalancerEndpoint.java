package dev.protevus.boot.actuate.loadbalancer;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.protevus.boot.loadbalancer.InstanceState;
import dev.protevus.boot.loadbalancer.LoadBalancerRegistry;
import dev.protevus.boot.loadbalancer.ServiceState;

import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.lang.Nullable;

/**
 * Actuator endpoint {@code loadbalancer}: each load-balanced service's strategy and
 * instances with their state (healthy, unhealthy, or ejected until when), requests in
 * flight, ejections and last health check.
 *
 * @since 0.1.0
 */
@Endpoint(id = "loadbalancer")
public class LoadBalancerEndpoint {

	private final LoadBalancerRegistry registry;

	public LoadBalancerEndpoint(LoadBalancerRegistry registry) {
		this.registry = registry;
	}

	@ReadOperation
	public ServicesDescriptor services() {
		Map<String, ServiceDescriptor> services = new TreeMap<>();
		this.registry.services().forEach((name, service) -> services.put(name, describe(service)));
		return new ServicesDescriptor(services);
	}

	@ReadOperation
	@Nullable
	public ServiceDescriptor service(@Selector String service) {
		ServiceState found = this.registry.services().get(service);
		return (found != null) ? describe(found) : null;
	}

	private static ServiceDescriptor describe(ServiceState service) {
		List<InstanceDescriptor> instances = service.instances()
			.stream()
			.sorted(Comparator.comparing(InstanceState::key))
			.map(LoadBalancerEndpoint::describe)
			.toList();
		int healthy = (int) instances.stream().filter((instance) -> instance.state().equals("healthy")).count();
		int inFlight = instances.stream().mapToInt(InstanceDescriptor::inFlight).sum();
		return new ServiceDescriptor(service.settings().strategy(), service.panic(), healthy, instances.size(),
				inFlight, instances);
	}

	private static InstanceDescriptor describe(InstanceState instance) {
		Instant ejectedUntil = instance.ejectedUntil();
		String state = (ejectedUntil != null) ? "ejected"
				: !instance.healthy() ? "unhealthy" : instance.breaker().permits() ? "healthy" : "circuit-open";
		return new InstanceDescriptor(instance.key(), instance.uri().toString(), state, ejectedUntil,
				instance.inFlight(), instance.ejections(), instance.weight(), instance.breaker().state(),
				instance.lastCheck(), instance.lastCheckResult());
	}

	/**
	 * Every load-balanced service seen so far.
	 *
	 * @param services the services by name
	 */
	public record ServicesDescriptor(Map<String, ServiceDescriptor> services) implements OperationResponseBody {
	}

	/**
	 * One service.
	 *
	 * @param strategy its strategy
	 * @param panic whether every instance is unavailable, so that all get traffic
	 * @param healthy instances that take traffic
	 * @param total instances known
	 * @param inFlight requests in flight over all instances
	 * @param instances its instances
	 */
	public record ServiceDescriptor(String strategy, boolean panic, int healthy, int total, int inFlight,
			List<InstanceDescriptor> instances) implements OperationResponseBody {
	}

	/**
	 * One instance.
	 *
	 * @param instance the instance as {@code host:port}
	 * @param uri its URI
	 * @param state {@code healthy}, {@code unhealthy}, {@code ejected} or
	 * {@code circuit-open}
	 * @param ejectedUntil when its ejection ends, or {@code null}
	 * @param inFlight its requests in flight
	 * @param ejections how many times it was ejected
	 * @param weight its weight
	 * @param circuitBreaker the state of its circuit breaker
	 * @param lastCheck when it was last checked, or {@code null}
	 * @param lastCheckResult the last check's result, or {@code null}
	 */
	public record InstanceDescriptor(String instance, String uri, String state, @Nullable Instant ejectedUntil,
			int inFlight, long ejections, int weight, String circuitBreaker, @Nullable Instant lastCheck,
			@Nullable String lastCheckResult) {
	}

}
