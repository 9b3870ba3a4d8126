package dev.protevus.benchmarks.async;

import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import dev.protevus.boot.async.WorkerPools;
import dev.protevus.boot.autoconfigure.async.AsyncAutoConfiguration;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/**
 * The round trip of a trivial task through a worker pool, as a reactive handler offloads
 * work: subscribe, run the task on a pool thread, and receive its result. {@code cpu} and
 * {@code blocking} go through {@link WorkerPools#offload(String, Callable)} with the
 * pools that {@link AsyncAutoConfiguration} creates by default; {@code boundedElastic} is
 * the plain Reactor idiom it replaces,
 * {@code Mono.fromCallable(…).subscribeOn(Schedulers.boundedElastic())}. The task does
 * nothing, so the time is all overhead. No goal: the ratio is reported.
 *
 * @since 0.1.0
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class OffloadBenchmark {

	private static final Callable<Integer> TASK = () -> 42;

	private ConfigurableApplicationContext context;

	private WorkerPools pools;

	@Setup
	public void setUp() {
		this.context = new SpringApplicationBuilder(Pools.class).web(WebApplicationType.NONE)
			.run("--spring.main.banner-mode=off");
		this.pools = this.context.getBean(WorkerPools.class);
	}

	@TearDown
	public void tearDown() {
		this.context.close();
	}

	@Benchmark
	public Integer cpu() {
		return this.pools.offload("cpu", TASK).block();
	}

	@Benchmark
	public Integer blocking() {
		return this.pools.offload("blocking", TASK).block();
	}

	@Benchmark
	public Integer boundedElastic() {
		return Mono.fromCallable(TASK).subscribeOn(Schedulers.boundedElastic()).block();
	}

	/**
	 * The worker pools as an application gets them, without the rest of Protevus.
	 */
	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(AsyncAutoConfiguration.class)
	static class Pools {

	}

}
