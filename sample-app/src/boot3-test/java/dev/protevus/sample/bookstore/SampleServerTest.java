package dev.protevus.sample.bookstore;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;

/**
 * What the sample's server tests need of Spring Boot 3.5's test support besides
 * {@code @SpringBootTest}: metrics export on, as in production, so that the Prometheus
 * endpoint exists (the {@code WebTestClient} comes with a random-port test on this line).
 * sample-app-boot4 has the same annotation for Boot 4's test modules.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@AutoConfigureObservability(tracing = false)
@interface SampleServerTest {

}
