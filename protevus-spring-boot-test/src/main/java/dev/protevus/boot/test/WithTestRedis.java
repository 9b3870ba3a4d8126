package dev.protevus.boot.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Connects a Spring test's application context to {@link TestRedis} the way Spring Boot's
 * {@code @ServiceConnection} does: with a {@code RedisConnectionDetails} bean, which
 * Boot's Redis auto-configuration uses instead of any {@code spring.data.redis} URL,
 * host, port, database, credentials, SSL, sentinel or cluster setting the test's
 * configuration has. It also sets {@code spring.data.redis.url} as the lowest-precedence
 * property, since Protevus tells from those keys whether an application uses Redis. The
 * server is shared by all tests in the JVM, so tests should use their own keys (or key
 * prefix).
 *
 * @since 0.1.0
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
public @interface WithTestRedis {

}
