package dev.protevus.boot.async;

import java.time.Duration;

/**
 * How late tasks start on the Netty event loops of the reactive web server, over a
 * sliding window: the signal that something blocks or hogs an event loop. A probe that is
 * still waiting counts with its age, so a stalled loop shows at once. Features that react
 * to load read it here; dashboards read the {@code protevus.eventloop.lag} gauge.
 *
 * @since 0.1.0
 */
public interface EventLoopLag {

	/**
	 * The largest lag over the window, across all event loops.
	 * @return the maximum lag, zero before the first measurement
	 */
	Duration max();

	/**
	 * The 99th percentile of the lag over the window, across all event loops.
	 * @return the 99th percentile lag, zero before the first measurement
	 */
	Duration p99();

}
