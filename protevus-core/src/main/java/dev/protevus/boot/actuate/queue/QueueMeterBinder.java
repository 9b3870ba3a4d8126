package dev.protevus.boot.actuate.queue;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

import dev.protevus.boot.queue.BrokerJobQueue;
import dev.protevus.boot.queue.QueueObserver;
import dev.protevus.boot.queue.QueueStats;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The queue meters, tagged {@code queue}: counters {@code protevus.queue.published},
 * {@code .processed}, {@code .failed} (failed attempts), {@code .retried} and
 * {@code .dead}, the timer {@code protevus.queue.duration} of handlers, and the gauges
 * {@code protevus.queue.depth}, {@code .pending} and {@code .lag} (age of the oldest job
 * waiting or in progress, in seconds) as last measured. Gauges appear for every queue
 * known when the registry binds and for each queue seen afterwards.
 *
 * @since 0.1.0
 */
public class QueueMeterBinder implements MeterBinder, QueueObserver {

	private static final String PREFIX = "protevus.queue.";

	private final BrokerJobQueue jobQueue;

	private final Set<String> gauged = ConcurrentHashMap.newKeySet();

	private final Map<String, Counter> counters = new ConcurrentHashMap<>();

	private final Map<String, Timer> timers = new ConcurrentHashMap<>();

	private volatile MeterRegistry registry;

	public QueueMeterBinder(BrokerJobQueue jobQueue) {
		this.jobQueue = jobQueue;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		this.registry = registry;
		this.jobQueue.queues().forEach(this::gauges);
	}

	@Override
	public void published(String queue) {
		count("published", queue);
	}

	@Override
	public void processed(String queue, Duration duration) {
		count("processed", queue);
		time(queue, duration);
	}

	@Override
	public void failed(String queue, Duration duration) {
		count("failed", queue);
		time(queue, duration);
	}

	@Override
	public void retried(String queue) {
		count("retried", queue);
	}

	@Override
	public void dead(String queue) {
		count("dead", queue);
	}

	private void count(String name, String queue) {
		MeterRegistry meters = this.registry;
		if (meters == null) {
			return;
		}
		gauges(queue);
		this.counters
			.computeIfAbsent(name + "\n" + queue,
					(key) -> Counter.builder(PREFIX + name)
						.description(description(name))
						.tag("queue", queue)
						.register(meters))
			.increment();
	}

	private void time(String queue, Duration duration) {
		MeterRegistry meters = this.registry;
		if (meters != null) {
			this.timers
				.computeIfAbsent(queue,
						(key) -> Timer.builder(PREFIX + "duration")
							.description("Time job handlers took, successful or not")
							.tag("queue", queue)
							.register(meters))
				.record(duration);
		}
	}

	private void gauges(String queue) {
		MeterRegistry meters = this.registry;
		if (meters == null || !this.gauged.add(queue)) {
			return;
		}
		Gauge.builder(PREFIX + "depth", this, (binder) -> binder.stat(queue, QueueStats::depth))
			.description("Jobs waiting for a consumer")
			.tag("queue", queue)
			.register(meters);
		Gauge.builder(PREFIX + "pending", this, (binder) -> binder.stat(queue, QueueStats::pending))
			.description("Jobs on a consumer, not yet acknowledged")
			.tag("queue", queue)
			.register(meters);
		Gauge.builder(PREFIX + "lag", this, (binder) -> binder.stat(queue, (stats) -> stats.lag().toMillis() / 1000.0))
			.description("Age of the oldest job waiting or in progress")
			.baseUnit("seconds")
			.tag("queue", queue)
			.register(meters);
	}

	private double stat(String queue, ToDoubleFunction<QueueStats> value) {
		QueueStats stats = this.jobQueue.lastStats().get(queue);
		return (stats != null) ? value.applyAsDouble(stats) : Double.NaN;
	}

	private static String description(String name) {
		return switch (name) {
			case "published" -> "Jobs published";
			case "processed" -> "Jobs whose handler completed";
			case "failed" -> "Job attempts that failed";
			case "retried" -> "Failed jobs scheduled for another attempt";
			default -> "Jobs moved to the dead-letter stream";
		};
	}

}
