package dev.protevus.boot.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Connects a Spring test's application context to {@link TestPostgres} the way Spring
 * Boot's {@code @ServiceConnection} does: with an {@code R2dbcConnectionDetails} bean,
 * which Boot's R2DBC auto-configuration uses instead of any {@code spring.r2dbc} URL,
 * credentials or driver properties the test's configuration sets; the pool
 * ({@code spring.r2dbc.pool.*}) is still Boot's. The server is shared by all tests in the
 * JVM, so tests should not rely on an empty database.
 *
 * @since 0.1.0
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
public @interface WithTestPostgres {

}
