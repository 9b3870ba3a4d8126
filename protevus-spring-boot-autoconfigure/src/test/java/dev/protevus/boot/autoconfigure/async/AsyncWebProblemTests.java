package dev.protevus.boot.autoconfigure.async;

import java.util.Map;
import java.util.concurrent.CountDownLatch;

import dev.protevus.boot.async.WorkerPools;
import dev.protevus.boot.autoconfigure.ProtevusAutoConfiguration;
import dev.protevus.boot.autoconfigure.web.WebLayerAutoConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.http.codec.CodecsAutoConfiguration;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.autoconfigure.web.reactive.HttpHandlerAutoConfiguration;
import org.springframework.boot.autoconfigure.web.reactive.WebFluxAutoConfiguration;
import org.springframework.boot.autoconfigure.web.reactive.error.ErrorWebFluxAutoConfiguration;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a client gets when the worker pool its request needs is full, through the web
 * layer's problem details.
 */
class AsyncWebProblemTests {

	private final ReactiveWebApplicationContextRunner contextRunner = new ReactiveWebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ProtevusAutoConfiguration.class, AsyncAutoConfiguration.class,
				WebLayerAutoConfiguration.class, WebFluxAutoConfiguration.class, ErrorWebFluxAutoConfiguration.class,
				HttpHandlerAutoConfiguration.class, JacksonAutoConfiguration.class, CodecsAutoConfiguration.class))
		.withUserConfiguration(ReportRoute.class)
		.withPropertyValues("protevus.async.pools.reports.threads=1", "protevus.async.pools.reports.queue-capacity=1");

	@Test
	void fullPoolIsA503ProblemWithRetryAfterThatNamesNoInternals() {
		this.contextRunner.run((context) -> {
			WorkerPools pools = context.getBean(WorkerPools.class);
			CountDownLatch release = new CountDownLatch(1);
			try {
				HeldPools.hold(pools, "reports", release);
				pools.offload("reports", () -> "queued").subscribe();
				WebTestClient.ResponseSpec response = WebTestClient.bindToApplicationContext(context)
					.build()
					.get()
					.uri("/report")
					.exchange();
				response.expectStatus()
					.isEqualTo(503)
					.expectHeader()
					.contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
					.expectHeader()
					.valueEquals(HttpHeaders.RETRY_AFTER, "1");
				Map<String, Object> problem = response
					.expectBody(new ParameterizedTypeReference<Map<String, Object>>() {
					})
					.returnResult()
					.getResponseBody();
				assertThat(problem).containsEntry("status", 503)
					.containsEntry("detail", "The server is too busy to take this request; retry shortly.");
				assertThat(problem.toString()).doesNotContain("reports").doesNotContain("Exception");
			}
			finally {
				release.countDown();
			}
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class ReportRoute {

		@Bean
		RouterFunction<ServerResponse> reportRoute(WorkerPools pools) {
			return RouterFunctions.route(RequestPredicates.GET("/report"),
					(request) -> pools.offload("reports", () -> "report")
						.flatMap((report) -> ServerResponse.ok().bodyValue(report)));
		}

	}

}
