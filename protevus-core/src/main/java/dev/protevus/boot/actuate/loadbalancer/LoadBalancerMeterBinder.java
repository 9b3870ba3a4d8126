package dev.protevus.boot.actuate.loadbalancer;

import dev.protevus.boot.loadbalancer.InstanceState;
import dev.protevus.boot.loadbalancer.LoadBalancerRegistry;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Meters of every load-balanced instance, tagged {@code service} and {@code instance}:
 * {@code protevus.loadbalancer.inflight} (requests in flight),
 * {@code protevus.loadbalancer.healthy} (1 while it takes traffic, else 0) and
 * {@code protevus.loadbalancer.ejections} (times ejected). Instances seen later get their
 * meters when they appear.
 *
 * @since 0.1.0
 */
public class LoadBalancerMeterBinder implements MeterBinder {

	private final LoadBalancerRegistry registry;

	public LoadBalancerMeterBinder(LoadBalancerRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void bindTo(MeterRegistry meters) {
		this.registry.onInstance((instance) -> bind(instance, meters));
	}

	private static void bind(InstanceState instance, MeterRegistry meters) {
		Tags tags = Tags.of("service", instance.serviceId(), "instance", instance.key());
		Gauge.builder("protevus.loadbalancer.inflight", instance, InstanceState::inFlight)
			.tags(tags)
			.description("Requests sent to the instance and not answered yet")
			.register(meters);
		Gauge.builder("protevus.loadbalancer.healthy", instance, (state) -> state.available() ? 1 : 0)
			.tags(tags)
			.description("Whether the instance takes traffic: healthy, not ejected, circuit closed")
			.register(meters);
		FunctionCounter.builder("protevus.loadbalancer.ejections", instance, InstanceState::ejections)
			.tags(tags)
			.description("Times the instance was ejected by outlier detection")
			.register(meters);
	}

}
