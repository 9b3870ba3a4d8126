package dev.protevus.sample.bookstore;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.micrometer.metrics.test.autoconfigure.AutoConfigureMetrics;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;

/**
 * What the sample's server tests need of Spring Boot 4's test modules besides
 * {@code @SpringBootTest}: a {@code WebTestClient} bound to the running server, and
 * metrics export on, as in production, so that the Prometheus endpoint exists. sample-app
 * has the same annotation for Boot 3.5.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@AutoConfigureWebTestClient
@AutoConfigureMetrics
@interface SampleServerTest {

}
