package dev.protevus.boot.actuate.async;

import java.time.Duration;
import java.util.function.Function;

import dev.protevus.boot.async.EventLoopLag;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Publishes {@link EventLoopLag} as two gauges in seconds, one number each, so that every
 * reading means one thing even untagged (the actuator's metrics endpoint adds up the
 * gauges of one name): {@code protevus.eventloop.lag}, the largest lag over the window,
 * and {@code protevus.eventloop.lag.p99}, its 99th percentile.
 *
 * @since 0.1.0
 */
public class EventLoopLagMeters implements MeterBinder {

	/**
	 * Name of the gauge of the largest lag over the window.
	 */
	public static final String LAG = "protevus.eventloop.lag";

	/**
	 * Name of the gauge of the 99th percentile of the lag over the window.
	 */
	public static final String LAG_P99 = LAG + ".p99";

	private final EventLoopLag lag;

	/**
	 * Creates the meters of an event-loop lag.
	 * @param lag the lag to publish
	 */
	public EventLoopLagMeters(EventLoopLag lag) {
		this.lag = lag;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		gauge(registry, LAG, EventLoopLag::max, "Largest event loop lag over the window, across all event loops");
		gauge(registry, LAG_P99, EventLoopLag::p99,
				"99th percentile of the event loop lag over the window, across all event loops");
	}

	private void gauge(MeterRegistry registry, String name, Function<EventLoopLag, Duration> value,
			String description) {
		Gauge.builder(name, this.lag, (l) -> value.apply(l).toNanos() / 1e9)
			.baseUnit("seconds")
			.description(description)
			.register(registry);
	}

}
