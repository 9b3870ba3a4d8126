package dev.protevus.benchmarks.loadbalancer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import dev.protevus.benchmarks.report.ResultLine;
import dev.protevus.boot.loadbalancer.AvailableInstancesSupplier;
import dev.protevus.boot.loadbalancer.InstanceBreaker;
import dev.protevus.boot.loadbalancer.InstanceTrafficLifecycle;
import dev.protevus.boot.loadbalancer.LeastConnectionsLoadBalancer;
import dev.protevus.boot.loadbalancer.LoadBalancerRegistry;
import dev.protevus.boot.loadbalancer.ServiceSettings;
import dev.protevus.boot.loadbalancer.ServiceState;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.cloud.client.DefaultServiceInstance;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.LoadBalancerLifecycle;
import org.springframework.cloud.client.loadbalancer.LoadBalancerProperties;
import org.springframework.cloud.client.loadbalancer.reactive.ReactiveLoadBalancer;
import org.springframework.cloud.client.loadbalancer.reactive.ReactorLoadBalancerExchangeFilterFunction;
import org.springframework.cloud.loadbalancer.core.ReactorServiceInstanceLoadBalancer;
import org.springframework.cloud.loadbalancer.core.RoundRobinLoadBalancer;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * p99 of least-connections against round-robin under open-loop load: three real Reactor
 * Netty backends that serve one request at a time (1 ms each; one of them 10 ms during
 * the middle half of the run), called through Spring Cloud LoadBalancer's
 * {@code ReactorLoadBalancerExchangeFilterFunction} at a fixed rate. Latency is measured
 * from when each request was due, not when it was sent, so a stalled sender cannot hide
 * queueing (coordinated omission), and recorded in HdrHistogram.
 * <p>
 * Run with {@code java -cp benchmarks/target/benchmarks.jar
 * dev.protevus.benchmarks.loadbalancer.OpenLoopLatency [rate/s] [seconds] [rounds]}.
 */
public final class OpenLoopLatency {

	private OpenLoopLatency() {
	}

	public static void main(String[] args) throws Exception {
		int rate = (args.length > 0) ? Integer.parseInt(args[0]) : 400;
		int seconds = (args.length > 1) ? Integer.parseInt(args[1]) : 20;
		int rounds = (args.length > 2) ? Integer.parseInt(args[2]) : 1;
		System.out.printf(
				"Open loop: %d requests/s for %d s per strategy; backends 1 ms, one 10 ms in the middle half%n", rate,
				seconds);
		double[] percentiles = { 50, 90, 99, 99.9 };
		Map<String, double[][]> figures = new LinkedHashMap<>();
		figures.put("round-robin", new double[percentiles.length + 1][rounds]);
		figures.put("least-connections", new double[percentiles.length + 1][rounds]);
		for (int round = 0; round < rounds; round++) {
			Histogram roundRobin = run("round-robin", rate, seconds);
			Histogram leastConnections = run("least-connections", rate, seconds);
			System.out.println("| strategy | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms |");
			System.out.println("|---|---|---|---|---|---|");
			print("round-robin", roundRobin);
			print("least-connections", leastConnections);
			System.out.printf("p99 least-connections / round-robin = %.3f%n",
					(double) leastConnections.getValueAtPercentile(99) / roundRobin.getValueAtPercentile(99));
			record(figures.get("round-robin"), round, roundRobin, percentiles);
			record(figures.get("least-connections"), round, leastConnections, percentiles);
		}
		Map<String, Object> strategies = new LinkedHashMap<>();
		figures.forEach((strategy, values) -> strategies.put(strategy, Map.of("p50Millis", values[0], "p90Millis",
				values[1], "p99Millis", values[2], "p999Millis", values[3], "maxMillis", values[4])));
		ResultLine.print("loadbalancer", Map.of("rate", rate, "seconds", seconds, "strategies", strategies));
		System.exit(0);
	}

	private static void record(double[][] values, int round, Histogram histogram, double[] percentiles) {
		for (int i = 0; i < percentiles.length; i++) {
			values[i][round] = ms(histogram.getValueAtPercentile(percentiles[i]));
		}
		values[percentiles.length][round] = ms(histogram.getMaxValue());
	}

	private static void print(String name, Histogram histogram) {
		System.out.printf("| %s | %.1f | %.1f | %.1f | %.1f | %.1f |%n", name, ms(histogram.getValueAtPercentile(50)),
				ms(histogram.getValueAtPercentile(90)), ms(histogram.getValueAtPercentile(99)),
				ms(histogram.getValueAtPercentile(99.9)), ms(histogram.getMaxValue()));
	}

	private static double ms(long nanos) {
		return nanos / 1_000_000.0;
	}

	private static Histogram run(String strategy, int rate, int seconds) throws InterruptedException {
		List<Backend> backends = List.of(new Backend(), new Backend(), new Backend());
		try {
			List<ServiceInstance> instances = new ArrayList<>();
			for (Backend backend : backends) {
				instances.add(new DefaultServiceInstance("b" + backend.server.port(), "svc", "127.0.0.1",
						backend.server.port(), false));
			}
			WebClient client = client(strategy, instances);
			Histogram histogram = new ConcurrentHistogram(TimeUnit.SECONDS.toNanos(60), 3);
			long total = (long) rate * seconds;
			long interval = TimeUnit.SECONDS.toNanos(1) / rate;
			CountDownLatch done = new CountDownLatch((int) total);
			AtomicInteger failed = new AtomicInteger();
			long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
			Backend slow = backends.get(2);
			for (long i = 0; i < total; i++) {
				long due = start + i * interval;
				slow.serviceNanos = (i >= total / 4 && i < total * 3 / 4) ? 10_000_000 : 1_000_000;
				long wait = due - System.nanoTime();
				if (wait > 0) {
					LockSupport.parkNanos(wait);
				}
				client.get().uri("http://svc/").retrieve().toBodilessEntity().subscribe((response) -> {
					histogram.recordValue(System.nanoTime() - due);
					done.countDown();
				}, (ex) -> {
					failed.incrementAndGet();
					histogram.recordValue(System.nanoTime() - due);
					done.countDown();
				});
			}
			done.await(120, TimeUnit.SECONDS);
			System.out.printf("%s: %d requests, %d failed, slow backend got %d%n", strategy, total, failed.get(),
					slow.requests.get());
			return histogram;
		}
		finally {
			backends.forEach((backend) -> backend.server.disposeNow());
		}
	}

	private static WebClient client(String strategy, List<ServiceInstance> instances) {
		ServiceInstanceListSupplier fixed = new ServiceInstanceListSupplier() {

			@Override
			public String getServiceId() {
				return "svc";
			}

			@Override
			public Flux<List<ServiceInstance>> get() {
				return Flux.just(instances);
			}

		};
		LoadBalancerRegistry registry = new LoadBalancerRegistry((id) -> ServiceSettings.defaults(id, strategy),
				InstanceBreaker.Factory.NONE);
		ServiceState service = registry.service("svc");
		ServiceInstanceListSupplier available = new AvailableInstancesSupplier(fixed, service);
		StaticListableBeanFactory beans = new StaticListableBeanFactory();
		beans.addBean("supplier", available);
		ReactorServiceInstanceLoadBalancer balancer = strategy.equals("round-robin")
				? new RoundRobinLoadBalancer(beans.getBeanProvider(ServiceInstanceListSupplier.class), "svc")
				: new LeastConnectionsLoadBalancer(available, service);
		InstanceTrafficLifecycle lifecycle = new InstanceTrafficLifecycle(registry);
		ReactiveLoadBalancer.Factory<ServiceInstance> factory = new ReactiveLoadBalancer.Factory<>() {

			@Override
			public ReactiveLoadBalancer<ServiceInstance> getInstance(String serviceId) {
				return balancer;
			}

			@Override
			@SuppressWarnings("unchecked")
			public <X> Map<String, X> getInstances(String name, Class<X> type) {
				return (type == LoadBalancerLifecycle.class) ? Map.of("lifecycle", (X) lifecycle) : Map.of();
			}

			@Override
			public <X> X getInstance(String name, Class<?> clazz, Class<?>... generics) {
				return null;
			}

			@Override
			public LoadBalancerProperties getProperties(String serviceId) {
				return new LoadBalancerProperties();
			}

		};
		return WebClient.builder().filter(new ReactorLoadBalancerExchangeFilterFunction(factory, List.of())).build();
	}

	/**
	 * A backend serving one request at a time: each waits for those before it.
	 */
	private static final class Backend {

		private final AtomicLong freeAt = new AtomicLong();

		private final AtomicInteger requests = new AtomicInteger();

		private volatile long serviceNanos = 1_000_000;

		private final DisposableServer server;

		Backend() {
			this.server = HttpServer.create().host("127.0.0.1").port(0).handle((request, response) -> {
				this.requests.incrementAndGet();
				long now = System.nanoTime();
				long service = this.serviceNanos;
				long finish = this.freeAt.updateAndGet((free) -> Math.max(free, now) + service);
				return Mono.delay(Duration.ofNanos(finish - now)).then(response.sendString(Mono.just("ok")).then());
			}).bindNow();
		}

	}

}
