package dev.protevus.boot.scaling;

import java.util.Collection;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import dev.protevus.boot.async.EventLoopLag;
import dev.protevus.boot.data.PoolUtilization;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The built-in {@link ScalingSignal signals}: what Micrometer measures of the JVM and the
 * HTTP server, and what other Protevus features publish through their signal interfaces
 * ({@link PoolUtilization}, {@link EventLoopLag}). Each reads {@link Double#NaN} while
 * its source is missing or has nothing to say yet.
 *
 * @since 0.1.0
 */
public final class ScalingSignals {

	/**
	 * Process CPU usage, a share of all available cores.
	 */
	public static final String CPU = "cpu";

	/**
	 * CPU usage of the whole machine or container, a share of all cores.
	 */
	public static final String SYSTEM_CPU = "system-cpu";

	/**
	 * Share of the long-lived heap pool used right after the last collection.
	 */
	public static final String HEAP_AFTER_GC = "heap-after-gc";

	/**
	 * Share of recent wall time spent in GC pauses.
	 */
	public static final String GC_PAUSE = "gc-pause";

	/**
	 * 99th percentile of the event-loop lag over its window, in seconds.
	 */
	public static final String EVENT_LOOP_LAG = "event-loop-lag";

	/**
	 * HTTP requests being served now.
	 */
	public static final String IN_FLIGHT = "in-flight";

	/**
	 * HTTP requests completed per second since the previous sample.
	 */
	public static final String REQUEST_RATE = "request-rate";

	/**
	 * 99th percentile of the latency of the server's requests, across all of them, in
	 * seconds.
	 */
	public static final String P99_LATENCY = "p99-latency";

	/**
	 * Acquired database connections as a share of the pool's maximum.
	 */
	public static final String POOL_UTILIZATION = "pool-utilization";

	/**
	 * Requests waiting for a database connection.
	 */
	public static final String POOL_PENDING = "pool-pending";

	/**
	 * Fill of the fullest worker pool's queue, a share of its capacity.
	 */
	public static final String WORKER_QUEUE = "worker-queue";

	/**
	 * Age of the oldest unprocessed job, in seconds: provided by the queue feature as a
	 * {@link ScalingSignal} bean of this name.
	 */
	public static final String QUEUE_LAG = "queue-lag";

	/**
	 * Share of the load balancer's upstream instances that are unavailable: provided by
	 * the load-balancer feature as a {@link ScalingSignal} bean of this name once it
	 * lands; a target may be set for it already.
	 */
	public static final String LOAD_BALANCER = "load-balancer";

	private ScalingSignals() {
	}

	/**
	 * Process CPU usage from Micrometer's {@code process.cpu.usage}.
	 * @param registry the registry
	 * @return the signal named {@value #CPU}
	 */
	public static ScalingSignal processCpu(MeterRegistry registry) {
		return gauge(CPU, ScalingSignal.RATIO, registry, "process.cpu.usage");
	}

	/**
	 * System CPU usage from Micrometer's {@code system.cpu.usage}.
	 * @param registry the registry
	 * @return the signal named {@value #SYSTEM_CPU}
	 */
	public static ScalingSignal systemCpu(MeterRegistry registry) {
		return gauge(SYSTEM_CPU, ScalingSignal.RATIO, registry, "system.cpu.usage");
	}

	/**
	 * Heap used after the last collection from Micrometer's
	 * {@code jvm.memory.usage.after.gc}.
	 * @param registry the registry
	 * @return the signal named {@value #HEAP_AFTER_GC}
	 */
	public static ScalingSignal heapAfterGc(MeterRegistry registry) {
		return gauge(HEAP_AFTER_GC, ScalingSignal.RATIO, registry, "jvm.memory.usage.after.gc");
	}

	/**
	 * Share of time in GC pauses from Micrometer's {@code jvm.gc.overhead}.
	 * @param registry the registry
	 * @return the signal named {@value #GC_PAUSE}
	 */
	public static ScalingSignal gcPause(MeterRegistry registry) {
		return gauge(GC_PAUSE, ScalingSignal.RATIO, registry, "jvm.gc.overhead");
	}

	/**
	 * The 99th percentile event-loop lag.
	 * @param lag the lag, or {@code null} while there is no event-loop lag monitor
	 * @return the signal named {@value #EVENT_LOOP_LAG}
	 */
	public static ScalingSignal eventLoopLag(Supplier<EventLoopLag> lag) {
		return ScalingSignal.of(EVENT_LOOP_LAG, ScalingSignal.SECONDS, () -> {
			EventLoopLag source = lag.get();
			return (source != null) ? source.p99().toNanos() / 1e9 : Double.NaN;
		});
	}

	/**
	 * Requests in flight from the long task timer {@code http.server.requests.active}
	 * that Spring's server observations record.
	 * @param registry the registry
	 * @return the signal named {@value #IN_FLIGHT}
	 */
	public static ScalingSignal inFlight(MeterRegistry registry) {
		return ScalingSignal.of(IN_FLIGHT, ScalingSignal.COUNT, () -> {
			Collection<LongTaskTimer> timers = registry.find("http.server.requests.active").longTaskTimers();
			return timers.isEmpty() ? Double.NaN : timers.stream().mapToInt(LongTaskTimer::activeTasks).sum();
		});
	}

	/**
	 * Requests completed per second between two reads, from the counts of the
	 * {@code http.server.requests} timers.
	 * @param registry the registry
	 * @param nanoTime the time source, {@code System::nanoTime} outside tests
	 * @return the signal named {@value #REQUEST_RATE}, {@link Double#NaN} on its first
	 * read
	 */
	public static ScalingSignal requestRate(MeterRegistry registry, LongSupplier nanoTime) {
		long[] previous = { -1, 0 };
		return ScalingSignal.of(REQUEST_RATE, ScalingSignal.PER_SECOND, () -> {
			synchronized (previous) {
				long count = registry.find("http.server.requests").timers().stream().mapToLong(Timer::count).sum();
				long now = nanoTime.getAsLong();
				double rate = (previous[0] < 0 || now <= previous[1]) ? Double.NaN
						: Math.max(0, count - previous[0]) / ((now - previous[1]) / 1e9);
				previous[0] = count;
				previous[1] = now;
				return rate;
			}
		});
	}

	/**
	 * The 99th percentile latency of the server's requests over the last minute or two,
	 * across all of them.
	 * @param latencies the latencies, fed by {@link RequestLatencyObservationHandler}
	 * @return the signal named {@value #P99_LATENCY}
	 */
	public static ScalingSignal p99Latency(RequestLatencies latencies) {
		return ScalingSignal.of(P99_LATENCY, ScalingSignal.SECONDS, () -> latencies.percentileSeconds(0.99));
	}

	/**
	 * Database connection pool utilisation.
	 * @param pool the pool, or {@code null} while there is none
	 * @return the signal named {@value #POOL_UTILIZATION}
	 */
	public static ScalingSignal poolUtilization(Supplier<PoolUtilization> pool) {
		return ScalingSignal.of(POOL_UTILIZATION, ScalingSignal.RATIO, () -> {
			PoolUtilization source = pool.get();
			return (source != null) ? source.utilization() : Double.NaN;
		});
	}

	/**
	 * Requests waiting for a database connection.
	 * @param pool the pool, or {@code null} while there is none
	 * @return the signal named {@value #POOL_PENDING}
	 */
	public static ScalingSignal poolPending(Supplier<PoolUtilization> pool) {
		return ScalingSignal.of(POOL_PENDING, ScalingSignal.COUNT, () -> {
			PoolUtilization source = pool.get();
			return (source != null) ? source.pending() : Double.NaN;
		});
	}

	/**
	 * Fill of the fullest executor queue, from Micrometer's executor meters
	 * {@code executor.queued} and {@code executor.queue.remaining} with the same
	 * {@code name} tag, which Protevus's worker pools publish.
	 * @param registry the registry
	 * @return the signal named {@value #WORKER_QUEUE}
	 */
	public static ScalingSignal workerQueue(MeterRegistry registry) {
		return ScalingSignal.of(WORKER_QUEUE, ScalingSignal.RATIO, () -> {
			double worst = Double.NaN;
			for (Gauge queued : registry.find("executor.queued").gauges()) {
				String name = queued.getId().getTag("name");
				Gauge remaining = (name != null) ? registry.find("executor.queue.remaining").tag("name", name).gauge()
						: null;
				if (remaining != null) {
					double capacity = queued.value() + remaining.value();
					double fill = (capacity > 0) ? queued.value() / capacity : 0;
					worst = Double.isNaN(worst) ? fill : Math.max(worst, fill);
				}
			}
			return worst;
		});
	}

	private static ScalingSignal gauge(String name, String unit, MeterRegistry registry, String meter) {
		return ScalingSignal.of(name, unit, () -> {
			Gauge gauge = registry.find(meter).gauge();
			return (gauge != null) ? gauge.value() : Double.NaN;
		});
	}

}
