package dev.protevus.benchmarks.loadbalancer;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.protevus.boot.loadbalancer.AvailableInstancesSupplier;
import dev.protevus.boot.loadbalancer.ConsistentHashLoadBalancer;
import dev.protevus.boot.loadbalancer.HashKey;
import dev.protevus.boot.loadbalancer.InstanceBreaker;
import dev.protevus.boot.loadbalancer.LeastConnectionsLoadBalancer;
import dev.protevus.boot.loadbalancer.LoadBalancerRegistry;
import dev.protevus.boot.loadbalancer.ServiceSettings;
import dev.protevus.boot.loadbalancer.ServiceState;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import reactor.core.publisher.Flux;

import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.cloud.client.DefaultServiceInstance;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.DefaultRequest;
import org.springframework.cloud.client.loadbalancer.Request;
import org.springframework.cloud.client.loadbalancer.RequestData;
import org.springframework.cloud.client.loadbalancer.RequestDataContext;
import org.springframework.cloud.client.loadbalancer.Response;
import org.springframework.cloud.loadbalancer.core.RandomLoadBalancer;
import org.springframework.cloud.loadbalancer.core.ReactorServiceInstanceLoadBalancer;
import org.springframework.cloud.loadbalancer.core.RoundRobinLoadBalancer;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.util.LinkedMultiValueMap;

/**
 * The cost of one {@code choose()} per strategy, with 3 and 100 instances, as Spring
 * Cloud LoadBalancer calls it: through Protevus's {@code AvailableInstancesSupplier}
 * (health, ejection and breaker filter) over a fixed list, the way every Protevus load
 * balancer is wired. ip-hash hashes an {@code X-User} header that varies over 1,024
 * values.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ChooseBenchmark {

	@Param({ "round-robin", "random", "least-connections", "ip-hash" })
	public String strategy;

	@Param({ "3", "100" })
	public int instances;

	private ReactorServiceInstanceLoadBalancer balancer;

	private final List<Request<RequestDataContext>> requests = new ArrayList<>();

	private int next;

	@Setup
	public void setUp() {
		List<ServiceInstance> list = new ArrayList<>();
		for (int i = 0; i < this.instances; i++) {
			list.add(new DefaultServiceInstance("svc-" + i, "svc", "10.0." + (i / 250) + "." + (i % 250 + 1), 8080,
					false));
		}
		ServiceInstanceListSupplier fixed = new ServiceInstanceListSupplier() {

			private final Flux<List<ServiceInstance>> flux = Flux.just(list);

			@Override
			public String getServiceId() {
				return "svc";
			}

			@Override
			public Flux<List<ServiceInstance>> get() {
				return this.flux;
			}

		};
		LoadBalancerRegistry registry = new LoadBalancerRegistry((id) -> ServiceSettings.defaults(id, this.strategy),
				InstanceBreaker.Factory.NONE);
		ServiceState service = registry.service("svc");
		ServiceInstanceListSupplier available = new AvailableInstancesSupplier(fixed, service);
		StaticListableBeanFactory beans = new StaticListableBeanFactory();
		beans.addBean("supplier", available);
		this.balancer = switch (this.strategy) {
			case "round-robin" ->
				new RoundRobinLoadBalancer(beans.getBeanProvider(ServiceInstanceListSupplier.class), "svc");
			case "random" -> new RandomLoadBalancer(beans.getBeanProvider(ServiceInstanceListSupplier.class), "svc");
			case "least-connections" -> new LeastConnectionsLoadBalancer(available, service);
			case "ip-hash" -> new ConsistentHashLoadBalancer(available, HashKey.header("X-User"));
			default -> throw new IllegalArgumentException(this.strategy);
		};
		for (int i = 0; i < 1024; i++) {
			HttpHeaders headers = new HttpHeaders();
			headers.set("X-User", "user-" + i);
			RequestData data = new RequestData(HttpMethod.GET, java.net.URI.create("http://svc/"), headers,
					new LinkedMultiValueMap<>(), new java.util.HashMap<>());
			this.requests.add(new DefaultRequest<>(new RequestDataContext(data)));
		}
	}

	@Benchmark
	public Response<ServiceInstance> choose() {
		Request<RequestDataContext> request = this.requests.get(this.next++ & 1023);
		return this.balancer.choose(request).block();
	}

}
