package dev.protevus.boot.autoconfigure.web;

import java.time.Duration;

import dev.protevus.boot.autoconfigure.ProtevusAutoConfiguration;
import dev.protevus.boot.autoconfigure.StartupFailures;
import dev.protevus.boot.web.HttpCachingWebFilter;
import dev.protevus.boot.web.Problem;
import dev.protevus.boot.web.ProblemControllerAdvice;
import dev.protevus.boot.web.ProblemMapper;
import dev.protevus.boot.web.ProblemWebExceptionHandler;
import dev.protevus.boot.web.RateLimitWebFilter;
import dev.protevus.boot.web.RequestTimeoutWebFilter;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import io.github.resilience4j.springboot3.bulkhead.autoconfigure.BulkheadAutoConfiguration;
import io.github.resilience4j.springboot3.ratelimiter.autoconfigure.RateLimiterAutoConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.http.codec.CodecsAutoConfiguration;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.autoconfigure.web.reactive.HttpHandlerAutoConfiguration;
import org.springframework.boot.autoconfigure.web.reactive.WebFluxAutoConfiguration;
import org.springframework.boot.autoconfigure.web.reactive.error.DefaultErrorWebExceptionHandler;
import org.springframework.boot.autoconfigure.web.reactive.error.ErrorWebFluxAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.web.reactive.error.ErrorWebExceptionHandler;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.result.method.annotation.ResponseEntityExceptionHandler;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How applications extend and tune the web layer: their own problem mappers,
 * resilience4j's registries and instance properties, their own filters, and the switch
 * that gives error handling back to Spring Boot.
 */
class WebLayerExtensionTests {

	private final ReactiveWebApplicationContextRunner contextRunner = new ReactiveWebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ProtevusAutoConfiguration.class, WebLayerAutoConfiguration.class,
				WebFluxAutoConfiguration.class, ErrorWebFluxAutoConfiguration.class, HttpHandlerAutoConfiguration.class,
				JacksonAutoConfiguration.class, CodecsAutoConfiguration.class, RateLimiterAutoConfiguration.class,
				BulkheadAutoConfiguration.class))
		.withUserConfiguration(WebTestApplication.class);

	@Test
	void problemsSwitchedOffLeaveErrorsToSpringBoot() {
		this.contextRunner.withPropertyValues("protevus.web.problems.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(ProblemWebExceptionHandler.class)
				.getBean(ErrorWebExceptionHandler.class)
				.isInstanceOf(DefaultErrorWebExceptionHandler.class);
			WebTestClient.bindToApplicationContext(context)
				.build()
				.get()
				.uri("/boom")
				.accept(MediaType.APPLICATION_JSON)
				.exchange()
				.expectStatus()
				.isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR)
				.expectHeader()
				.contentType(MediaType.APPLICATION_JSON)
				.expectBody()
				.jsonPath("$.error")
				.isEqualTo("Internal Server Error");
		});
	}

	@Test
	void problemsSwitchedOffLeaveProblemDetailsToSpringBoot() {
		this.contextRunner
			.withPropertyValues("protevus.web.problems.enabled=false", "spring.webflux.problemdetails.enabled=true")
			.run((context) -> assertThat(context).doesNotHaveBean(ProblemControllerAdvice.class)
				.getBean(ResponseEntityExceptionHandler.class)
				.extracting((handler) -> handler.getClass().getName())
				.isEqualTo("org.springframework.boot.autoconfigure.web.reactive.ProblemDetailsExceptionHandler"));
	}

	@Test
	void applicationsProblemMapperAnswersItsExceptionsAnywhereInTheCauseChain() {
		this.contextRunner.withUserConfiguration(LockedMapperConfiguration.class).run((context) -> {
			WebTestClient client = WebTestClient.bindToApplicationContext(context).build();
			client.get()
				.uri("/locked")
				.exchange()
				.expectStatus()
				.isEqualTo(HttpStatus.CONFLICT)
				.expectHeader()
				.contentType(MediaType.APPLICATION_PROBLEM_JSON)
				.expectBody()
				.jsonPath("$.detail")
				.isEqualTo("The book is being edited.");
			// Unknown to the mapper: still Protevus's own answer.
			client.get().uri("/boom").exchange().expectStatus().isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
		});
	}

	@Test
	void problemMappersAreAskedInOrder() {
		this.contextRunner.withUserConfiguration(LockedMapperConfiguration.class, FirstMapperConfiguration.class)
			.run((context) -> WebTestClient.bindToApplicationContext(context)
				.build()
				.get()
				.uri("/locked")
				.exchange()
				.expectStatus()
				.isEqualTo(HttpStatus.GONE));
	}

	@Test
	void rateLimiterAndBulkheadAreRegisteredWithResilience4j() {
		this.contextRunner
			.withPropertyValues("protevus.web.rate-limit.enabled=true", "protevus.web.rate-limit.limit-for-period=7",
					"protevus.web.max-in-flight=5")
			.run((context) -> {
				assertThat(context.getBean(RateLimiterRegistry.class).find("protevus-web")).hasValueSatisfying(
						(limiter) -> assertThat(limiter.getRateLimiterConfig().getLimitForPeriod()).isEqualTo(7));
				assertThat(context.getBean(BulkheadRegistry.class).find("protevus-web")).hasValueSatisfying(
						(bulkhead) -> assertThat(bulkhead.getBulkheadConfig().getMaxConcurrentCalls()).isEqualTo(5));
			});
	}

	@Test
	void resilience4jInstancePropertiesTuneTheWebLayer() {
		this.contextRunner
			.withPropertyValues("protevus.web.rate-limit.enabled=true", "protevus.web.rate-limit.limit-for-period=7",
					"resilience4j.ratelimiter.instances.protevus-web.limit-for-period=3",
					"resilience4j.ratelimiter.instances.protevus-web.limit-refresh-period=1h",
					"protevus.web.max-in-flight=5",
					"resilience4j.bulkhead.instances.protevus-web.max-concurrent-calls=2")
			.run((context) -> {
				assertThat(context.getBean(BulkheadRegistry.class)
					.bulkhead("protevus-web")
					.getBulkheadConfig()
					.getMaxConcurrentCalls()).isEqualTo(2);
				WebTestClient.bindToApplicationContext(context)
					.build()
					.get()
					.uri("/books/1")
					.exchange()
					.expectHeader()
					.valueEquals(RateLimitWebFilter.LIMIT, "3");
			});
	}

	@Test
	void waitingBulkheadFailsStartUp() {
		this.contextRunner
			.withPropertyValues("protevus.web.max-in-flight=5",
					"resilience4j.bulkhead.instances.protevus-web.max-wait-duration=1s")
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = StartupFailures.analyze(context.getStartupFailure());
				assertThat(analysis).isNotNull();
				assertThat(analysis.getDescription())
					.contains("resilience4j.bulkhead.instances.protevus-web.max-wait-duration");
				assertThat(analysis.getAction()).contains("to 0");
			});
	}

	@Test
	void applicationsOwnFiltersWin() {
		this.contextRunner.withUserConfiguration(OwnFiltersConfiguration.class)
			.withPropertyValues("protevus.web.etag=true", "protevus.web.request-timeout=10s")
			.run((context) -> {
				assertThat(context).getBean(RequestTimeoutWebFilter.class)
					.isSameAs(context.getBean("ownRequestTimeoutWebFilter"));
				assertThat(context).getBean(HttpCachingWebFilter.class)
					.isSameAs(context.getBean("ownHttpCachingWebFilter"));
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class LockedMapperConfiguration {

		@Bean
		ProblemMapper lockedMapper() {
			return (ex) -> (ex instanceof WebTestApplication.BookLockedException)
					? Problem.of(HttpStatus.CONFLICT, "The book is being edited.") : null;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class FirstMapperConfiguration {

		@Bean
		@Order(-1)
		ProblemMapper goneMapper() {
			return (ex) -> (ex instanceof WebTestApplication.BookLockedException) ? Problem.of(HttpStatus.GONE, null)
					: null;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnFiltersConfiguration {

		@Bean
		RequestTimeoutWebFilter ownRequestTimeoutWebFilter() {
			return new RequestTimeoutWebFilter(Duration.ofSeconds(1), null);
		}

		@Bean
		HttpCachingWebFilter ownHttpCachingWebFilter() {
			return new HttpCachingWebFilter(java.util.List.of(), false);
		}

	}

}
