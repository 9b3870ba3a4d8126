package dev.protevus.boot.autoconfigure.web;

import dev.protevus.boot.autoconfigure.ConditionalOnProtevusEnabled;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.web.reactive.WebFluxAutoConfiguration;
import org.springframework.boot.autoconfigure.web.reactive.error.ErrorWebFluxAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Import;
import org.springframework.web.reactive.config.WebFluxConfigurer;

/**
 * Protevus's web layer for WebFlux applications: {@code application/problem+json} for
 * every failed request, a per-client rate limit, load shedding above a number of requests
 * in flight, a whole-request time bound, and HTTP caching headers, as
 * {@code protevus.web.*} says. Runs before Spring Boot's WebFlux and error handling
 * configuration so that its problem handlers take the place of Boot's, and backs off to
 * the application's own error handling.
 *
 * @since 0.1.0
 */
@AutoConfiguration(before = { WebFluxAutoConfiguration.class, ErrorWebFluxAutoConfiguration.class })
@ConditionalOnProtevusEnabled
@ConditionalOnBooleanProperty(name = "protevus.web.enabled", matchIfMissing = true)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnClass(WebFluxConfigurer.class)
@EnableConfigurationProperties(WebLayerProperties.class)
@Import({ WebLayerConfigurations.ProblemDetailsConfiguration.class, ProblemWebExceptionHandlerConfiguration.class,
		WebLayerConfigurations.RateLimitConfiguration.class,
		WebLayerConfigurations.InFlightLimitConfiguration.class,
		WebLayerConfigurations.RequestTimeoutConfiguration.class,
		WebLayerConfigurations.HttpCachingConfiguration.class, WebLayerConfigurations.SettingsConfiguration.class })
public class WebLayerAutoConfiguration {

}
