package dev.protevus.boot.autoconfigure.web;

import java.time.Duration;
import java.util.Map;

import com.github.benmanes.caffeine.cache.Caffeine;
import dev.protevus.boot.autoconfigure.BootAutoConfigurations;
import dev.protevus.boot.autoconfigure.BootWeb;
import dev.protevus.boot.autoconfigure.ProtevusAutoConfiguration;
import dev.protevus.boot.web.HttpCachingWebFilter;
import dev.protevus.boot.web.InFlightLimitWebFilter;
import dev.protevus.boot.web.ProblemControllerAdvice;
import dev.protevus.boot.web.ProblemWebExceptionHandler;
import dev.protevus.boot.web.RateLimitKey;
import dev.protevus.boot.web.RateLimitWebFilter;
import dev.protevus.boot.web.RequestTimeoutWebFilter;
import dev.protevus.boot.autoconfigure.StartupFailures;
import dev.protevus.boot.web.ProblemResponseWriter;
import dev.protevus.boot.web.WebFilterOrder;
import io.github.resilience4j.bulkhead.Bulkhead;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.reactive.result.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.server.WebFilter;

import static org.assertj.core.api.Assertions.assertThat;

class WebLayerAutoConfigurationTests {

	private final ReactiveWebApplicationContextRunner contextRunner = new ReactiveWebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ProtevusAutoConfiguration.class, WebLayerAutoConfiguration.class))
		.withConfiguration(BootAutoConfigurations.webflux())
		.withConfiguration(BootAutoConfigurations.jackson());

	@Test
	void answersProblemsAndAddsNoFilterByDefault() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(BootWeb.errorWebExceptionHandler())
				.hasSingleBean(ProblemWebExceptionHandler.class)
				.hasSingleBean(ProblemResponseWriter.class)
				.doesNotHaveBean(RequestTimeoutWebFilter.class)
				.doesNotHaveBean(HttpCachingWebFilter.class)
				.doesNotHaveBean(RateLimitWebFilter.class)
				.doesNotHaveBean(InFlightLimitWebFilter.class)
				.doesNotHaveBean(ResponseEntityExceptionHandler.class);
			WebLayerProperties properties = context.getBean(WebLayerProperties.class);
			assertThat(properties.getRequestTimeout()).isZero();
			assertThat(properties.getMaxInFlight()).isZero();
			assertThat(properties.getRateLimit().isEnabled()).isFalse();
			assertThat(properties.getRateLimit().getKey()).isEqualTo("client-ip");
			assertThat(properties.getRateLimit().getLimitForPeriod()).isEqualTo(100);
			assertThat(properties.getRateLimit().getLimitRefreshPeriod()).isEqualTo(Duration.ofSeconds(1));
			assertThat(properties.getCacheControl()).isEmpty();
			assertThat(properties.isEtag()).isFalse();
		});
	}

	@Test
	void bindsEveryProperty() {
		this.contextRunner
			.withPropertyValues("protevus.web.request-timeout=3s", "protevus.web.max-in-flight=50",
					"protevus.web.rate-limit.enabled=true", "protevus.web.rate-limit.key=header:X-Api-Key",
					"protevus.web.rate-limit.limit-for-period=7", "protevus.web.rate-limit.limit-refresh-period=2m",
					"protevus.web.cache-control[/books/**]=max-age=60, public", "protevus.web.etag=true")
			.run((context) -> {
				WebLayerProperties properties = context.getBean(WebLayerProperties.class);
				assertThat(properties.getRequestTimeout()).isEqualTo(Duration.ofSeconds(3));
				assertThat(properties.getMaxInFlight()).isEqualTo(50);
				assertThat(properties.getRateLimit().getKey()).isEqualTo("header:X-Api-Key");
				assertThat(properties.getRateLimit().getLimitForPeriod()).isEqualTo(7);
				assertThat(properties.getRateLimit().getLimitRefreshPeriod()).isEqualTo(Duration.ofMinutes(2));
				assertThat(properties.getCacheControl()).containsExactly(Map.entry("/books/**", "max-age=60, public"));
				assertThat(properties.isEtag()).isTrue();
				WebLayerSettings settings = context.getBean(WebLayerSettings.class);
				assertThat(settings.rateLimitKey()).isEqualTo(RateLimitKey.header("X-Api-Key"));
				assertThat(context).hasSingleBean(RateLimitWebFilter.class)
					.hasSingleBean(InFlightLimitWebFilter.class)
					.hasSingleBean(RequestTimeoutWebFilter.class)
					.hasSingleBean(HttpCachingWebFilter.class);
			});
	}

	@Test
	void zeroRequestTimeoutSwitchesTheBoundOff() {
		this.contextRunner.withPropertyValues("protevus.web.request-timeout=0")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(RequestTimeoutWebFilter.class));
	}

	@Test
	void noCachingFilterWithoutETagsOrCacheControlPatterns() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(HttpCachingWebFilter.class));
	}

	@Test
	void filtersRunCheapRejectionsFirstThenTheTimeBoundThenCachingHeaders() {
		this.contextRunner
			.withPropertyValues("protevus.web.max-in-flight=10", "protevus.web.rate-limit.enabled=true",
					"protevus.web.request-timeout=10s", "protevus.web.cache-control[/**]=no-cache")
			.run((context) -> assertThat(context.getBeanProvider(WebFilter.class).orderedStream().map(Object::getClass))
				.containsSubsequence(RateLimitWebFilter.class, InFlightLimitWebFilter.class,
						RequestTimeoutWebFilter.class, HttpCachingWebFilter.class));
	}

	@Test
	void rateLimitByPrincipalRunsAfterSpringSecurity() {
		this.contextRunner
			.withPropertyValues("protevus.web.rate-limit.enabled=true", "protevus.web.rate-limit.key=principal")
			.run((context) -> assertThat(context.getBean(RateLimitWebFilter.class).getOrder())
				.isEqualTo(WebFilterOrder.RATE_LIMIT_BY_PRINCIPAL)
				.isGreaterThan(-100));
	}

	@Test
	void replacesBootsProblemDetailsHandlerWhenProblemDetailsAreEnabled() {
		this.contextRunner.withPropertyValues("spring.webflux.problemdetails.enabled=true")
			.run((context) -> assertThat(context).getBean(ResponseEntityExceptionHandler.class)
				.isInstanceOf(ProblemControllerAdvice.class));
	}

	@Test
	void applicationsOwnControllerAdviceWins() {
		this.contextRunner.withPropertyValues("spring.webflux.problemdetails.enabled=true")
			.withUserConfiguration(OwnAdviceConfiguration.class)
			.run((context) -> assertThat(context).getBean(ResponseEntityExceptionHandler.class)
				.isInstanceOf(OwnAdvice.class));
	}

	@Test
	void applicationsOwnErrorHandlerWins() {
		BootWeb.withOwnErrorHandler(this.contextRunner)
			.run((context) -> assertThat(context).doesNotHaveBean(ProblemWebExceptionHandler.class)
				.getBean(BootWeb.errorWebExceptionHandler())
				.isSameAs(context.getBean("ownErrorHandler")));
	}

	@Test
	void applicationsOwnErrorAttributesLeaveErrorsToSpringBoot() {
		BootWeb.withOwnErrorAttributes(this.contextRunner)
			.run((context) -> assertThat(context).doesNotHaveBean(ProblemWebExceptionHandler.class)
				.hasSingleBean(BootWeb.errorWebExceptionHandler()));
	}

	@Test
	void applicationsOwnProblemWriterIsUsed() {
		this.contextRunner.withUserConfiguration(OwnProblemWriterConfiguration.class)
			.run((context) -> assertThat(context).getBean(ProblemResponseWriter.class)
				.isSameAs(context.getBean(OwnProblemWriterConfiguration.class).writer));
	}

	@Test
	void backsOffWhenProtevusIsDisabled() {
		this.contextRunner.withPropertyValues("protevus.enabled=false", "protevus.web.request-timeout=10s")
			.run((context) -> assertThat(context).doesNotHaveBean(WebLayerProperties.class)
				.doesNotHaveBean(ProblemWebExceptionHandler.class)
				.doesNotHaveBean(RequestTimeoutWebFilter.class));
	}

	@Test
	void backsOffOutsideReactiveWebApplications() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(WebLayerAutoConfiguration.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(WebLayerProperties.class));
	}

	@Test
	void loadSheddingNeedsResilience4jBulkhead() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(Bulkhead.class))
			.withPropertyValues("protevus.web.max-in-flight=5")
			.run((context) -> assertFailure(context.getStartupFailure(), "protevus.web.max-in-flight",
					"resilience4j-bulkhead"));
	}

	@Test
	void rateLimitingNeedsCaffeine() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(Caffeine.class))
			.withPropertyValues("protevus.web.rate-limit.enabled=true")
			.run((context) -> assertFailure(context.getStartupFailure(), "protevus.web.rate-limit.enabled",
					"caffeine"));
	}

	@Test
	void negativeRequestTimeoutFailsStartUp() {
		assertInvalid("protevus.web.request-timeout=-1s", "protevus.web.request-timeout", "10s");
	}

	@Test
	void negativeMaxInFlightFailsStartUp() {
		assertInvalid("protevus.web.max-in-flight=-1", "protevus.web.max-in-flight", "0, which means no limit");
	}

	@Test
	void unknownRateLimitKeyFailsStartUp() {
		assertInvalid("protevus.web.rate-limit.key=cookie", "protevus.web.rate-limit.key", "header:X-Api-Key");
	}

	@Test
	void headerRateLimitKeyWithoutANameFailsStartUp() {
		assertInvalid("protevus.web.rate-limit.key=header:", "protevus.web.rate-limit.key", "header:X-Api-Key");
	}

	@Test
	void rateLimitBelowOneFailsStartUp() {
		assertInvalid("protevus.web.rate-limit.limit-for-period=0", "protevus.web.rate-limit.limit-for-period",
				"positive number");
	}

	@Test
	void nonPositiveRefreshPeriodFailsStartUp() {
		assertInvalid("protevus.web.rate-limit.limit-refresh-period=0s", "protevus.web.rate-limit.limit-refresh-period",
				"positive duration");
	}

	@Test
	void blankCacheControlValueFailsStartUp() {
		assertInvalid("protevus.web.cache-control[/books/**]= ", "protevus.web.cache-control[/books/**]", "max-age=60");
	}

	@Test
	void cacheControlPatternsWithoutBracketsKeepTheirSlashes() {
		// As YAML's "/books/**": … under protevus.web.cache-control arrives in the
		// environment.
		this.contextRunner
			.withPropertyValues("protevus.web.cache-control./books/**=max-age=60, public",
					"protevus.web.cache-control./**=no-cache", "protevus.web.cache-control[/authors/*]=max-age=5")
			.run((context) -> assertThat(context.getBean(WebLayerSettings.class).cacheControl())
				.extracting((rule) -> rule.pattern().getPatternString() + " " + rule.value())
				.containsExactlyInAnyOrder("/books/** max-age=60, public", "/** no-cache", "/authors/* max-age=5"));
	}

	@Test
	void cacheControlPatternThatLostItsSlashesFailsStartUpAskingForBrackets() {
		assertInvalid("protevus.web.cache-control.books=max-age=60", "protevus.web.cache-control", "[/books/**]");
	}

	@Test
	void invalidCacheControlPatternFailsStartUp() {
		assertInvalid("protevus.web.cache-control[/books/{id]=max-age=60", "protevus.web.cache-control",
				"path patterns");
	}

	private void assertInvalid(String property, String key, String action) {
		this.contextRunner.withPropertyValues(property)
			.run((context) -> assertFailure(context.getStartupFailure(), key, action));
	}

	private static void assertFailure(Throwable failure, String key, String action) {
		assertThat(failure).as("start-up failure").isNotNull();
		FailureAnalysis analysis = StartupFailures.analyze(failure);
		assertThat(analysis).as("failure analysis of %s", failure).isNotNull();
		assertThat(analysis.getDescription()).contains(key);
		assertThat(analysis.getAction()).contains(key).contains(action);
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnAdviceConfiguration {

		@Bean
		OwnAdvice ownAdvice() {
			return new OwnAdvice();
		}

	}

	@ControllerAdvice
	static class OwnAdvice extends ResponseEntityExceptionHandler {

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnProblemWriterConfiguration {

		final ProblemResponseWriter writer = new ProblemResponseWriter(ServerCodecConfigurer.create());

		@Bean
		ProblemResponseWriter ownProblemWriter() {
			return this.writer;
		}

	}

}
