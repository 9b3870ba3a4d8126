package dev.protevus.boot.actuate.async;

import java.time.Duration;
import java.util.function.Function;

import dev.protevus.boot.async.EventLoopLag;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Publishes {@link EventLoopLag} as the gauge {@code protevus.eventloop.lag} in seconds,
 * tagged {@code stat=max} and {@code stat=p99}.
 *
 * @since 0.1.0
 */
public class EventLoopLagMeters implements MeterBinder {

	/**
	 * Name of the gauge.
	 */
	public static final String LAG = "protevus.eventloop.lag";

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
		gauge(registry, "max", EventLoopLag::max, "Largest event loop lag over the window");
		gauge(registry, "p99", EventLoopLag::p99, "99th percentile of the event loop lag over the window");
	}

	private void gauge(MeterRegistry registry, String stat, Function<EventLoopLag, Duration> value,
			String description) {
		Gauge.builder(LAG, this.lag, (l) -> value.apply(l).toNanos() / 1e9)
			.tag("stat", stat)
			.baseUnit("seconds")
			.description(description)
			.register(registry);
	}

}
