package dev.protevus.boot.queue;

/**
 * How far behind the queues this instance knows are, for features that react to load (the
 * scaling signal {@code queue-lag}) without depending on the queue's internals.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface QueueLag {

	/**
	 * Age of the oldest job waiting or in progress, over every queue this instance
	 * publishes to, listens to or has configured, as last measured.
	 * @return the age in seconds, {@link Double#NaN} while nothing has been measured
	 */
	double lagSeconds();

}
