package dev.protevus.boot.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Connects a Spring test's application context to {@link TestRedis}: sets
 * {@code spring.data.redis.url} ahead of every other property source. The server is
 * shared by all tests in the JVM, so tests should use their own keys (or key prefix).
 *
 * @since 0.1.0
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
public @interface WithTestRedis {

}
