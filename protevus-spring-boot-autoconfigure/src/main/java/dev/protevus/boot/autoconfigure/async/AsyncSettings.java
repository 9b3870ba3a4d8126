package dev.protevus.boot.autoconfigure.async;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.protevus.boot.async.VirtualThreads;
import dev.protevus.boot.async.WorkerPoolSettings;
import dev.protevus.boot.autoconfigure.InvalidPropertyException;
import dev.protevus.boot.autoconfigure.PropertyChecks;

/**
 * Turns {@link AsyncProperties} into checked settings, so that a value that cannot work
 * fails start-up naming its property and the fix.
 */
final class AsyncSettings {

	static final String PREFIX = "protevus.async.";

	static final String CPU = "cpu";

	static final String BLOCKING = "blocking";

	private AsyncSettings() {
	}

	/**
	 * The {@code cpu} and {@code blocking} pools, then the application's own, in the
	 * order configured.
	 */
	static List<WorkerPoolSettings> pools(AsyncProperties properties, int processors) {
		Map<String, AsyncProperties.Pool> configured = new LinkedHashMap<>();
		configured.put(CPU, new AsyncProperties.Pool());
		configured.put(BLOCKING, new AsyncProperties.Pool());
		configured.putAll(properties.getPools());
		List<WorkerPoolSettings> pools = new ArrayList<>();
		configured.forEach((name, pool) -> pools.add(pool(name, pool, processors)));
		return pools;
	}

	private static WorkerPoolSettings pool(String name, AsyncProperties.Pool pool, int processors) {
		String key = PREFIX + "pools." + name + ".";
		boolean blocking = BLOCKING.equals(name);
		int threads = (pool.getThreads() != null) ? pool.getThreads() : (blocking ? 10 * processors : processors);
		int queueCapacity = (pool.getQueueCapacity() != null) ? pool.getQueueCapacity() : (blocking ? 10_000 : 1_000);
		if (threads <= 0) {
			throw new InvalidPropertyException(key + "threads", threads, "a pool needs at least one thread",
					"Set '" + key + "threads' to a positive number, such as " + processors + ".");
		}
		if (queueCapacity <= 0) {
			throw new InvalidPropertyException(key + "queue-capacity", queueCapacity,
					"every pool queues work in a bounded queue with room for at least one task",
					"Set '" + key + "queue-capacity' to a positive number, such as 1000.");
		}
		Duration keepAlive = PropertyChecks.notNegative(key + "keep-alive", pool.getKeepAlive(), "60s",
				"ends idle threads at once");
		if (pool.isVirtual() && !VirtualThreads.available()) {
			throw new InvalidPropertyException(key + "virtual", true,
					"virtual threads need Java 21 or later, and this JVM runs Java " + Runtime.version().feature(),
					"Run the application on Java 21 or later, or set '" + key + "virtual' to false.");
		}
		return new WorkerPoolSettings(name, threads, queueCapacity, keepAlive, pool.isVirtual());
	}

	static Duration awaitTermination(AsyncProperties properties) {
		return PropertyChecks.notNegative(PREFIX + "shutdown.await-termination",
				properties.getShutdown().getAwaitTermination(), "30s", "interrupts unfinished work at once");
	}

	static Duration lagInterval(AsyncProperties properties) {
		return PropertyChecks.positive(PREFIX + "event-loop-lag.interval", properties.getEventLoopLag().getInterval(),
				"100ms");
	}

	static Duration lagWindow(AsyncProperties properties) {
		String key = PREFIX + "event-loop-lag.window";
		Duration interval = lagInterval(properties);
		Duration window = properties.getEventLoopLag().getWindow();
		if (window == null || window.compareTo(interval) < 0) {
			throw new InvalidPropertyException(key, window,
					"the window must hold at least one probe, so it cannot be shorter than the interval (" + interval
							+ ")",
					"Set '" + key + "' to a duration of at least '" + PREFIX + "event-loop-lag.interval', such as 1m.");
		}
		return window;
	}

}
