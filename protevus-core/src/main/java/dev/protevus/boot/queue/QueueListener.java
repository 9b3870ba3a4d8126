package dev.protevus.boot.queue;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a bean method that runs the jobs of a queue. The method takes the payload (a
 * class the payload allowlist admits) and optionally a {@link Job}, in either order, and
 * returns {@code Mono<Void>} (or any {@code Publisher}), which must not block, or
 * {@code void}, in which case it runs on a worker pool and may block. One listener per
 * queue and application.
 *
 * @since 0.1.0
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface QueueListener {

	/**
	 * The queue's name.
	 * @return the name
	 */
	String queue();

	/**
	 * The worker pool that runs a {@code void} method; ignored for methods returning a
	 * {@code Publisher}.
	 * @return the pool's name
	 */
	String pool() default "blocking";

}
