package dev.protevus.boot.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Adds a {@link StatementCounter} bean to a Spring test's application context, which
 * counts every statement the application's R2DBC connection factory executes; inject it
 * to assert how many statements a request ran. Needs R2DBC ({@code io.r2dbc:r2dbc-spi})
 * on the test class path.
 *
 * @since 0.1.0
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
public @interface WithStatementCounter {

}
