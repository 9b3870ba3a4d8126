package dev.protevus.boot.loadbalancer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.cloud.client.ServiceInstance;

/**
 * What the load balancer knows of one service: its settings and the state of each of its
 * instances. Decides which instances may get traffic, ejects outliers, and falls back to
 * every instance when none is available (panic mode).
 *
 * @since 0.1.0
 */
public final class ServiceState {

	private static final Log logger = LogFactory.getLog(ServiceState.class);

	private final ServiceSettings settings;

	private final InstanceBreaker.Factory breakers;

	private final Consumer<InstanceState> newInstances;

	private final Map<String, InstanceState> instances = new ConcurrentHashMap<>();

	private final AtomicBoolean panic = new AtomicBoolean();

	/**
	 * The states of the last instance list seen, so that a supplier that hands out the
	 * same list each time (static lists, SCLB's caching supplier) costs no lookups.
	 */
	private volatile Resolved resolved = new Resolved(List.of(), new InstanceState[0]);

	ServiceState(ServiceSettings settings, InstanceBreaker.Factory breakers, Consumer<InstanceState> newInstances) {
		this.settings = settings;
		this.breakers = breakers;
		this.newInstances = newInstances;
	}

	public ServiceSettings settings() {
		return this.settings;
	}

	public String serviceId() {
		return this.settings.serviceId();
	}

	/**
	 * Every instance seen so far.
	 * @return the instances' states
	 */
	public Collection<InstanceState> instances() {
		return this.instances.values();
	}

	/**
	 * Whether every instance is unavailable, so that all of them get traffic.
	 * @return whether in panic mode
	 */
	public boolean panic() {
		return this.panic.get();
	}

	/**
	 * The state of an instance, created when it is first seen.
	 * @param instance the instance
	 * @return its state
	 */
	public InstanceState state(ServiceInstance instance) {
		InstanceState state = this.instances.get(InstanceState.key(instance));
		return (state != null) ? state : register(instance);
	}

	private InstanceState register(ServiceInstance instance) {
		boolean[] created = new boolean[1];
		InstanceState state = this.instances.computeIfAbsent(InstanceState.key(instance), (key) -> {
			created[0] = true;
			return new InstanceState(serviceId(), instance, this.breakers.create(serviceId(), key));
		});
		if (created[0]) {
			this.newInstances.accept(state);
		}
		return state;
	}

	/**
	 * The instances that may get traffic: healthy, not ejected, breaker closed, and not
	 * tried already by this request while another is left. When none is, every instance
	 * (panic mode, logged once).
	 * @param all the instances of the service
	 * @param tried instances this request was already sent to, as {@code host:port}
	 * @return the instances to choose from
	 */
	public List<ServiceInstance> available(List<ServiceInstance> all, Set<String> tried) {
		if (all.isEmpty()) {
			return all;
		}
		InstanceState[] states = states(all);
		int count = 0;
		for (InstanceState state : states) {
			if (state.available()) {
				count++;
			}
		}
		List<ServiceInstance> available;
		if (count == states.length) {
			available = all;
		}
		else if (count > 0) {
			available = new ArrayList<>(count);
			for (int i = 0; i < states.length; i++) {
				if (states[i].available()) {
					available.add(all.get(i));
				}
			}
			if (available.isEmpty()) {
				// Availability changed between the two passes.
				available = all;
			}
		}
		else {
			if (this.panic.compareAndSet(false, true)) {
				logger.warn("No instance of service '" + serviceId() + "' is healthy; sending traffic to all "
						+ all.size() + " of them (panic mode)");
			}
			available = all;
		}
		if (count > 0 && this.panic.get() && this.panic.compareAndSet(true, false)) {
			logger.info("Service '" + serviceId() + "' has healthy instances again; panic mode is over");
		}
		if (!tried.isEmpty() && available.size() > 1) {
			List<ServiceInstance> untried = new ArrayList<>(available.size());
			for (ServiceInstance instance : available) {
				if (!tried.contains(InstanceState.key(instance))) {
					untried.add(instance);
				}
			}
			if (!untried.isEmpty()) {
				return untried;
			}
		}
		return available;
	}

	private InstanceState[] states(List<ServiceInstance> all) {
		Resolved current = this.resolved;
		if (current.instances() != all) {
			InstanceState[] states = new InstanceState[all.size()];
			for (int i = 0; i < states.length; i++) {
				states[i] = state(all.get(i));
			}
			current = new Resolved(all, states);
			this.resolved = current;
		}
		return current.states();
	}

	private record Resolved(List<ServiceInstance> instances, InstanceState[] states) {
	}

	/**
	 * Records a request that the instance answered well.
	 * @param instance the instance
	 */
	void succeeded(InstanceState instance) {
		instance.succeeded();
		instance.breaker().onSuccess();
	}

	/**
	 * Records a failed request (5xx, connection failure, time-out), which ejects the
	 * instance after enough in a row, while the share of ejected instances allows.
	 * @param instance the instance
	 * @param failure what the request failed with
	 */
	void failed(InstanceState instance, Throwable failure) {
		instance.breaker().onError(failure);
		ServiceSettings.OutlierDetection outliers = this.settings.outlierDetection();
		if (!outliers.enabled() || instance.failed() < outliers.consecutiveFailures()) {
			return;
		}
		synchronized (this) {
			if (instance.ejected()) {
				return;
			}
			int total = this.instances.size();
			long ejected = this.instances.values().stream().filter(InstanceState::ejected).count();
			long allowed = Math.max(1, (long) total * outliers.maxEjectionPercent() / 100);
			if (ejected >= allowed) {
				return;
			}
			long previous = instance.ejections();
			Duration time = outliers.baseEjectionTime().multipliedBy(previous + 1);
			if (time.compareTo(outliers.maxEjectionTime()) > 0) {
				time = outliers.maxEjectionTime();
			}
			instance.eject(time.toNanos());
			logger.warn("Ejected instance " + instance.key() + " of service '" + serviceId() + "' for " + time
					+ " after " + outliers.consecutiveFailures() + " consecutive failures");
		}
	}

	/**
	 * The shortest time after which an instance may be available again, for the
	 * {@code Retry-After} of a request that found none.
	 * @return the delay
	 */
	public Duration retryAfter() {
		ServiceSettings.HealthCheck check = this.settings.healthCheck();
		return check.enabled() ? check.interval() : Duration.ofSeconds(5);
	}

}
