package dev.protevus.boot.autoconfigure.web;

import com.github.benmanes.caffeine.cache.Caffeine;
import dev.protevus.boot.web.ProblemResponseWriter;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.ratelimiter.RateLimiter;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.web.reactive.error.ErrorAttributes;
import org.springframework.boot.web.reactive.error.ErrorWebExceptionHandler;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.web.reactive.result.method.annotation.ResponseEntityExceptionHandler;

/**
 * The parts of the web layer, each switched on by its own settings.
 */
abstract class WebLayerConfigurations {

	/**
	 * Problem details for every failed request, unless the application renders errors
	 * itself.
	 */
	@Configuration(proxyBeanMethods = false)
	static class ProblemDetailsConfiguration {

		@Bean
		@ConditionalOnMissingBean({ ErrorWebExceptionHandler.class, ErrorAttributes.class })
		ProblemWebExceptionHandler problemWebExceptionHandler(ProblemResponseWriter problems) {
			return new ProblemWebExceptionHandler(problems);
		}

		@Bean
		@Order(0)
		@ConditionalOnBooleanProperty("spring.webflux.problemdetails.enabled")
		@ConditionalOnMissingBean(ResponseEntityExceptionHandler.class)
		ProblemControllerAdvice problemControllerAdvice() {
			return new ProblemControllerAdvice();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ RateLimiter.class, Caffeine.class })
	@ConditionalOnBooleanProperty("protevus.web.rate-limit.enabled")
	static class RateLimitConfiguration {

		@Bean
		RateLimitWebFilter protevusRateLimitWebFilter(WebLayerSettings settings, ProblemResponseWriter problems) {
			return new RateLimitWebFilter(settings, problems);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(Bulkhead.class)
	@Conditional(WebLayerConditions.MaxInFlight.class)
	static class InFlightLimitConfiguration {

		@Bean
		InFlightLimitWebFilter protevusInFlightLimitWebFilter(WebLayerSettings settings,
				ProblemResponseWriter problems) {
			return new InFlightLimitWebFilter(settings, problems);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@Conditional(WebLayerConditions.RequestTimeout.class)
	static class RequestTimeoutConfiguration {

		@Bean
		RequestTimeoutWebFilter protevusRequestTimeoutWebFilter(WebLayerSettings settings,
				ProblemResponseWriter problems) {
			return new RequestTimeoutWebFilter(settings.requestTimeout(), problems);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@Conditional(WebLayerConditions.HttpCaching.class)
	static class HttpCachingConfiguration {

		@Bean
		HttpCachingWebFilter protevusHttpCachingWebFilter(WebLayerSettings settings) {
			return new HttpCachingWebFilter(settings.cacheControl(), settings.etag());
		}

	}

}
