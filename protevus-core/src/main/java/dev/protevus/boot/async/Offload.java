package dev.protevus.boot.async;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs a Spring bean method on a worker pool of {@link WorkerPools}, so that CPU-heavy or
 * blocking work never holds a Netty event loop. What runs on the pool depends on the
 * return type:
 * <ul>
 * <li>{@code Mono} or {@code Flux}: the method and the subscription to what it returns,
 * each time the result is subscribed;</li>
 * <li>{@code CompletableFuture} or {@code CompletionStage}: the method, at once; the
 * returned future completes with the method's future;</li>
 * <li>any other type, {@code void} included: the method, while the caller waits. Calling
 * such a method from a non-blocking thread (a Netty event loop, Reactor's parallel
 * scheduler) fails with {@link IllegalStateException}; a caller already running on the
 * same pool runs it directly, since waiting for its own pool could deadlock.</li>
 * </ul>
 * A pool that does not exist fails start-up; a full pool fails the call with
 * {@link WorkerPoolFullException}. The method must be one a Spring proxy can intercept:
 * public or protected, not final, and called through the bean rather than {@code this}.
 *
 * @since 0.1.0
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Offload {

	/**
	 * Name of the worker pool to run on, such as {@code "cpu"}, {@code "blocking"} or a
	 * pool of {@code protevus.async.pools}.
	 * @return the pool's name
	 */
	String value();

}
