package dev.protevus.boot.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Connects a Spring test's application context to {@link TestMemcached}: sets
 * {@code protevus.cache.memcached.servers} to its address, above every other property
 * source, as Spring Boot's {@code @ServiceConnection} details win over properties. The
 * server is shared by all tests in the JVM, so tests should use their own cache names or
 * key prefix.
 *
 * @since 0.1.0
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
public @interface WithTestMemcached {

}
