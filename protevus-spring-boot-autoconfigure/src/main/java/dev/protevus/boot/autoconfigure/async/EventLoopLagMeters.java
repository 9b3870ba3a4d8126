package dev.protevus.boot.autoconfigure.async;

import java.time.Duration;
import java.util.function.Function;

import dev.protevus.boot.async.EventLoopLag;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Publishes {@link EventLoopLag} as the gauge {@code protevus.eventloop.lag} in seconds,
 * tagged {@code stat=max} and {@code stat=p99}.
 */
class EventLoopLagMeters {

	EventLoopLagMeters(EventLoopLag lag, MeterRegistry registry) {
		gauge(registry, lag, "max", EventLoopLag::max, "Largest event loop lag over the window");
		gauge(registry, lag, "p99", EventLoopLag::p99, "99th percentile of the event loop lag over the window");
	}

	private static void gauge(MeterRegistry registry, EventLoopLag lag, String stat,
			Function<EventLoopLag, Duration> value, String description) {
		Gauge.builder("protevus.eventloop.lag", lag, (l) -> value.apply(l).toNanos() / 1e9)
			.tag("stat", stat)
			.baseUnit("seconds")
			.description(description)
			.register(registry);
	}

}
