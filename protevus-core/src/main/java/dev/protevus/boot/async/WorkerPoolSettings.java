package dev.protevus.boot.async;

import java.time.Duration;

import org.springframework.util.Assert;

/**
 * The settings of one worker pool of {@link ExecutorWorkerPools}: its name, at most how
 * many threads run its tasks, at most how many tasks wait, how long an idle thread lives,
 * and whether its threads are virtual.
 *
 * @param name the pool's name, which its threads are named after
 * @param threads how many threads run the pool's tasks at most
 * @param queueCapacity how many tasks wait for a thread at most
 * @param keepAlive how long an idle thread lives; zero ends it as soon as it is idle
 * @param virtual whether the pool's threads are virtual, which needs Java 21 or later
 * @since 0.1.0
 */
public record WorkerPoolSettings(String name, int threads, int queueCapacity, Duration keepAlive, boolean virtual) {

	/**
	 * Checks the settings.
	 * @throws IllegalArgumentException if a value cannot work
	 */
	public WorkerPoolSettings {
		Assert.hasText(name, "name must not be empty");
		Assert.isTrue(threads > 0, () -> "threads must be positive but was " + threads);
		Assert.isTrue(queueCapacity > 0, () -> "queueCapacity must be positive but was " + queueCapacity);
		Assert.notNull(keepAlive, "keepAlive must not be null");
		Assert.isTrue(!keepAlive.isNegative(), () -> "keepAlive must not be negative but was " + keepAlive);
		Assert.isTrue(!virtual || VirtualThreads.available(),
				() -> "virtual threads need Java 21 or later, but this is Java " + Runtime.version().feature());
	}

}
