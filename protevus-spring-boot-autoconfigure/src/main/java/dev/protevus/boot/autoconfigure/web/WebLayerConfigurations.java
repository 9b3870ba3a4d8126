package dev.protevus.boot.autoconfigure.web;

import java.time.Duration;

import com.github.benmanes.caffeine.cache.Caffeine;
import dev.protevus.boot.autoconfigure.InvalidPropertyException;
import dev.protevus.boot.web.HttpCachingWebFilter;
import dev.protevus.boot.web.InFlightLimitWebFilter;
import dev.protevus.boot.web.ProblemControllerAdvice;
import dev.protevus.boot.web.ProblemMapper;
import dev.protevus.boot.web.ProblemResponseWriter;
import dev.protevus.boot.web.Problems;
import dev.protevus.boot.web.RateLimitWebFilter;
import dev.protevus.boot.web.RequestTimeoutWebFilter;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.web.reactive.result.method.annotation.ResponseEntityExceptionHandler;

/**
 * The parts of the web layer, each switched on by its own settings. Every filter backs
 * off to the application's own bean of its type.
 */
abstract class WebLayerConfigurations {

	/**
	 * Name of the resilience4j rate limiter and bulkhead that the web layer registers, so
	 * that {@code resilience4j.*.instances.protevus-web.*} tunes them.
	 */
	static final String RESILIENCE4J_NAME = "protevus-web";

	/**
	 * Problem details for every failed request, unless the application renders errors
	 * itself or switches them off.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBooleanProperty(name = "protevus.web.problems.enabled", matchIfMissing = true)
	static class ProblemDetailsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		Problems problems(ObjectProvider<ProblemMapper> mappers) {
			return new Problems(mappers.orderedStream().toList());
		}

		@Bean
		@Order(0)
		@ConditionalOnBooleanProperty("spring.webflux.problemdetails.enabled")
		@ConditionalOnMissingBean(ResponseEntityExceptionHandler.class)
		ProblemControllerAdvice problemControllerAdvice(Problems problems) {
			return new ProblemControllerAdvice(problems);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ RateLimiter.class, Caffeine.class })
	@ConditionalOnBooleanProperty("protevus.web.rate-limit.enabled")
	static class RateLimitConfiguration {

		/**
		 * Each client's limiter takes the configuration of the {@code protevus-web}
		 * limiter in resilience4j's registry, whose defaults are
		 * {@code protevus.web.rate-limit.*}.
		 */
		@Bean
		@ConditionalOnMissingBean
		RateLimitWebFilter protevusRateLimitWebFilter(WebLayerSettings settings, ProblemResponseWriter problems,
				ObjectProvider<RateLimiterRegistry> registries) {
			RateLimiterConfig defaults = RateLimiterConfig.custom()
				.limitForPeriod(settings.limitForPeriod())
				.limitRefreshPeriod(settings.limitRefreshPeriod())
				.timeoutDuration(Duration.ZERO)
				.build();
			RateLimiter limiter = registries.getIfAvailable(RateLimiterRegistry::ofDefaults)
				.rateLimiter(RESILIENCE4J_NAME, defaults);
			return new RateLimitWebFilter(settings.rateLimitKey(), limiter.getRateLimiterConfig(), problems,
					settings.healthChecks());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(Bulkhead.class)
	@Conditional(WebLayerConditions.MaxInFlight.class)
	static class InFlightLimitConfiguration {

		/**
		 * The {@code protevus-web} bulkhead of resilience4j's registry, whose defaults
		 * are {@code protevus.web.max-in-flight} and no wait.
		 */
		@Bean
		@ConditionalOnMissingBean
		InFlightLimitWebFilter protevusInFlightLimitWebFilter(WebLayerSettings settings, ProblemResponseWriter problems,
				ObjectProvider<BulkheadRegistry> registries) {
			BulkheadConfig defaults = BulkheadConfig.custom()
				.maxConcurrentCalls(settings.maxInFlight())
				.maxWaitDuration(Duration.ZERO)
				.fairCallHandlingStrategyEnabled(false)
				.build();
			Bulkhead bulkhead = registries.getIfAvailable(BulkheadRegistry::ofDefaults)
				.bulkhead(RESILIENCE4J_NAME, defaults);
			Duration wait = bulkhead.getBulkheadConfig().getMaxWaitDuration();
			if (!wait.isZero()) {
				String key = "resilience4j.bulkhead.instances." + RESILIENCE4J_NAME + ".max-wait-duration";
				throw new InvalidPropertyException(key, wait,
						"a request waiting for a permit would hold its event loop", "Set '" + key
								+ "' to 0, or remove it: the web layer refuses requests above the limit at once.");
			}
			return new InFlightLimitWebFilter(bulkhead, problems, settings.healthChecks());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@Conditional(WebLayerConditions.RequestTimeout.class)
	static class RequestTimeoutConfiguration {

		@Bean
		@ConditionalOnMissingBean
		RequestTimeoutWebFilter protevusRequestTimeoutWebFilter(WebLayerSettings settings,
				ProblemResponseWriter problems) {
			return new RequestTimeoutWebFilter(settings.requestTimeout(), problems);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@Conditional(WebLayerConditions.HttpCaching.class)
	static class HttpCachingConfiguration {

		@Bean
		@ConditionalOnMissingBean
		HttpCachingWebFilter protevusHttpCachingWebFilter(WebLayerSettings settings) {
			return new HttpCachingWebFilter(settings.cacheControl(), settings.etag());
		}

	}

	/**
	 * The checked settings and the writer of problem answers.
	 */
	@Configuration(proxyBeanMethods = false)
	static class SettingsConfiguration {

		/**
		 * The settings, checked: a singleton, so that a value that cannot work fails
		 * start-up even when the part it configures is off.
		 */
		@Bean
		WebLayerSettings webLayerSettings(WebLayerProperties properties, ResourceLoader resourceLoader,
				Environment environment) {
			return new WebLayerSettings(properties, CacheControlEntries.of(properties.getCacheControl(), environment),
					resourceLoader.getClassLoader(),
					environment.getProperty("management.endpoints.web.base-path", "/actuator"));
		}

		@Bean
		@ConditionalOnMissingBean
		ProblemResponseWriter problemResponseWriter(ObjectProvider<ServerCodecConfigurer> codecs) {
			return new ProblemResponseWriter(codecs.getIfAvailable(ServerCodecConfigurer::create));
		}

	}

}
