package dev.protevus.boot.loadbalancer;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import org.springframework.cloud.client.DefaultServiceInstance;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The strategies and the outlier logic without Spring: ring remapping, least-loaded
 * choices, growing and capped ejections.
 */
class LoadBalancerStrategiesTests {

	@Test
	void removingAnInstanceFromTheRingMovesOnlyItsKeysAndAddingItBackRestoresThem() {
		List<ServiceInstance> instances = instances("svc", 5);
		HashRing ring = new HashRing(instances);
		Map<String, ServiceInstance> before = new HashMap<>();
		for (int i = 0; i < 10_000; i++) {
			before.put("10.0." + (i / 256) + "." + (i % 256), ring.get("10.0." + (i / 256) + "." + (i % 256)));
		}
		ServiceInstance removed = instances.get(2);
		List<ServiceInstance> without = new ArrayList<>(instances);
		without.remove(removed);
		HashRing smaller = new HashRing(without);
		int moved = 0;
		for (Map.Entry<String, ServiceInstance> entry : before.entrySet()) {
			ServiceInstance now = smaller.get(entry.getKey());
			if (now != entry.getValue()) {
				moved++;
				assertThat(entry.getValue()).isSameAs(removed);
			}
		}
		// Ideal share is 1/5; virtual nodes keep it close.
		assertThat(moved).isBetween(1_400, 2_600);
		HashRing restored = new HashRing(
				List.of(instances.get(4), instances.get(0), removed, instances.get(3), instances.get(1)));
		before.forEach((key, instance) -> assertThat(InstanceState.key(restored.get(key)))
			.isEqualTo(InstanceState.key(instance)));
	}

	@Test
	void leastConnectionsPicksTheInstanceWithFewestRequestsInFlight() {
		LoadBalancerRegistry registry = new LoadBalancerRegistry((id) -> ServiceSettings.defaults(id, "lc"),
				InstanceBreaker.Factory.NONE);
		ServiceState service = registry.service("svc");
		List<ServiceInstance> instances = instances("svc", 3);
		LeastConnectionsLoadBalancer balancer = new LeastConnectionsLoadBalancer(supplier(instances), service);
		service.state(instances.get(0)).requestStarted();
		service.state(instances.get(1)).requestStarted();
		for (int i = 0; i < 20; i++) {
			assertThat(balancer.choose(instances).getServer()).isSameAs(instances.get(2));
		}
	}

	@Test
	void leastConnectionsWeighsRequestsInFlightByWeight() {
		LoadBalancerRegistry registry = new LoadBalancerRegistry((id) -> ServiceSettings.defaults(id, "lc"),
				InstanceBreaker.Factory.NONE);
		ServiceState service = registry.service("svc");
		DefaultServiceInstance heavy = new DefaultServiceInstance("h", "svc", "10.0.0.1", 80, false,
				Map.of("weight", "4"));
		DefaultServiceInstance light = new DefaultServiceInstance("l", "svc", "10.0.0.2", 80, false);
		for (int i = 0; i < 3; i++) {
			service.state(heavy).requestStarted();
		}
		service.state(light).requestStarted();
		LeastConnectionsLoadBalancer balancer = new LeastConnectionsLoadBalancer(supplier(List.of(heavy, light)),
				service);
		assertThat(balancer.choose(List.of(heavy, light)).getServer()).isSameAs(heavy);
	}

	@Test
	void powerOfTwoChoicesNeverPicksTheMostLoadedInstance() {
		LoadBalancerRegistry registry = new LoadBalancerRegistry((id) -> ServiceSettings.defaults(id, "lc"),
				InstanceBreaker.Factory.NONE);
		ServiceState service = registry.service("svc");
		List<ServiceInstance> instances = instances("svc", 100);
		ServiceInstance busiest = instances.get(42);
		for (int i = 0; i < 10; i++) {
			service.state(busiest).requestStarted();
		}
		LeastConnectionsLoadBalancer balancer = new LeastConnectionsLoadBalancer(supplier(instances), service);
		for (int i = 0; i < 10_000; i++) {
			assertThat(balancer.choose(instances).getServer()).isNotSameAs(busiest);
		}
	}

	@Test
	void ejectionTimeGrowsWithEachEjection() {
		assertThat(secondEjection(Duration.ofSeconds(100))).isBetween(Duration.ofSeconds(29), Duration.ofSeconds(30));
	}

	@Test
	void ejectionTimeIsCapped() {
		assertThat(secondEjection(Duration.ofSeconds(25))).isBetween(Duration.ofSeconds(24), Duration.ofSeconds(25));
	}

	/**
	 * Ejects an instance, ends that ejection at once (which counts as a second one), and
	 * returns how long the third lasts: three times the base, unless capped.
	 */
	private static Duration secondEjection(Duration max) {
		ServiceSettings settings = new ServiceSettings("svc", "round-robin", List.of(), HashKey.clientIp(),
				ServiceSettings.HealthCheck.OFF,
				new ServiceSettings.OutlierDetection(2, Duration.ofSeconds(10), max, 100), ServiceSettings.Retry.OFF);
		ServiceState service = new LoadBalancerRegistry((id) -> settings, InstanceBreaker.Factory.NONE).service("svc");
		InstanceState instance = service.state(instances("svc", 1).get(0));
		service.failed(instance, new RuntimeException());
		assertThat(instance.ejected()).isFalse();
		service.failed(instance, new RuntimeException());
		assertThat(instance.ejected()).isTrue();
		assertThat(Duration.between(Instant.now(), instance.ejectedUntil())).isBetween(Duration.ofSeconds(9),
				Duration.ofSeconds(10));
		instance.eject(0);
		assertThat(instance.ejected()).isFalse();
		service.failed(instance, new RuntimeException());
		service.failed(instance, new RuntimeException());
		assertThat(instance.ejections()).isEqualTo(3);
		return Duration.between(Instant.now(), instance.ejectedUntil());
	}

	@Test
	void noMoreThanTheMaximumShareOfInstancesIsEjected() {
		ServiceSettings settings = new ServiceSettings("svc", "round-robin", List.of(), HashKey.clientIp(),
				ServiceSettings.HealthCheck.OFF,
				new ServiceSettings.OutlierDetection(1, Duration.ofSeconds(30), Duration.ofMinutes(5), 50),
				ServiceSettings.Retry.OFF);
		ServiceState service = new LoadBalancerRegistry((id) -> settings, InstanceBreaker.Factory.NONE).service("svc");
		List<ServiceInstance> instances = instances("svc", 4);
		instances.forEach((instance) -> service.failed(service.state(instance), new RuntimeException()));
		assertThat(service.instances().stream().filter(InstanceState::ejected).count()).isEqualTo(2);
		assertThat(service.available(instances, Set.of())).hasSize(2);
	}

	@Test
	void everyInstanceIsUsedWhenNoneIsAvailable() {
		ServiceSettings settings = new ServiceSettings("svc", "round-robin", List.of(), HashKey.clientIp(),
				ServiceSettings.HealthCheck.OFF,
				new ServiceSettings.OutlierDetection(1, Duration.ofSeconds(30), Duration.ofMinutes(5), 100),
				ServiceSettings.Retry.OFF);
		ServiceState service = new LoadBalancerRegistry((id) -> settings, InstanceBreaker.Factory.NONE).service("svc");
		List<ServiceInstance> instances = instances("svc", 2);
		instances.forEach((instance) -> service.failed(service.state(instance), new RuntimeException()));
		assertThat(service.available(instances, Set.of())).hasSize(2);
		assertThat(service.panic()).isTrue();
	}

	private static List<ServiceInstance> instances(String serviceId, int count) {
		List<ServiceInstance> instances = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			instances.add(new DefaultServiceInstance(serviceId + i, serviceId, "10.0.1." + (i + 1), 8080, false));
		}
		return instances;
	}

	private static ServiceInstanceListSupplier supplier(List<ServiceInstance> instances) {
		return new ServiceInstanceListSupplier() {

			@Override
			public String getServiceId() {
				return "svc";
			}

			@Override
			public Flux<List<ServiceInstance>> get() {
				return Flux.just(instances);
			}

		};
	}

}
