package dev.protevus.boot.autoconfigure.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.protevus.boot.autoconfigure.ProtevusAutoConfiguration;
import jakarta.validation.Validator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.http.codec.CodecsAutoConfiguration;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.autoconfigure.validation.ValidationAutoConfiguration;
import org.springframework.boot.autoconfigure.web.reactive.HttpHandlerAutoConfiguration;
import org.springframework.boot.autoconfigure.web.reactive.WebFluxAutoConfiguration;
import org.springframework.boot.autoconfigure.web.reactive.error.ErrorWebFluxAutoConfiguration;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.web.reactive.error.ErrorWebExceptionHandler;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every failure becomes {@code application/problem+json}, from annotated controllers,
 * functional routes and unmatched paths alike, with or without
 * {@code spring.webflux.problemdetails.enabled}, and without internals in the answer.
 */
class WebProblemDetailsTests {

	private final ReactiveWebApplicationContextRunner contextRunner = new ReactiveWebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ProtevusAutoConfiguration.class, WebLayerAutoConfiguration.class,
				WebFluxAutoConfiguration.class, ErrorWebFluxAutoConfiguration.class, HttpHandlerAutoConfiguration.class,
				JacksonAutoConfiguration.class, CodecsAutoConfiguration.class, ValidationAutoConfiguration.class))
		.withUserConfiguration(WebTestApplication.class)
		.withPropertyValues("spring.http.codecs.max-in-memory-size=1KB");

	@ParameterizedTest(name = "problem details enabled: {0}")
	@ValueSource(booleans = { false, true })
	void unmatchedPathIsA404Problem(boolean enabled) {
		run(enabled, (client) -> expectProblem(client.get().uri("/nothing/here").exchange(), 404, "/nothing/here"));
	}

	@ParameterizedTest(name = "problem details enabled: {0}")
	@ValueSource(booleans = { false, true })
	void unsupportedMethodIsA405ProblemWithAllow(boolean enabled) {
		run(enabled, (client) -> {
			WebTestClient.ResponseSpec response = client.delete().uri("/books/1").exchange();
			response.expectHeader().valueEquals(HttpHeaders.ALLOW, "GET");
			assertThat(expectProblem(response, 405, "/books/1").get("detail")).asString().contains("DELETE", "GET");
		});
	}

	@ParameterizedTest(name = "problem details enabled: {0}")
	@ValueSource(booleans = { false, true })
	void unsupportedContentTypeIsA415Problem(boolean enabled) {
		run(enabled, (client) -> {
			WebTestClient.ResponseSpec response = client.post()
				.uri("/books")
				.contentType(MediaType.TEXT_PLAIN)
				.bodyValue("a book")
				.exchange();
			response.expectHeader().exists(HttpHeaders.ACCEPT);
			assertThat(expectProblem(response, 415, "/books").get("detail")).asString()
				.contains("text/plain", "application/json");
		});
	}

	@ParameterizedTest(name = "problem details enabled: {0}")
	@ValueSource(booleans = { false, true })
	void malformedJsonIsA400Problem(boolean enabled) {
		run(enabled, (client) -> {
			for (String path : List.of("/books", "/fn/books")) {
				WebTestClient.ResponseSpec response = client.post()
					.uri(path)
					.contentType(MediaType.APPLICATION_JSON)
					.bodyValue("{\"title\": nope}")
					.exchange();
				assertThat(expectProblem(response, 400, path).get("detail")).asString()
					.contains("could not be read as JSON (line 1");
			}
		});
	}

	@ParameterizedTest(name = "problem details enabled: {0}")
	@ValueSource(booleans = { false, true })
	void jsonOfTheWrongShapeIsA400ProblemNamingWhere(boolean enabled) {
		run(enabled,
				(client) -> assertThat(expectProblem(client.post()
					.uri("/books")
					.contentType(MediaType.APPLICATION_JSON)
					.bodyValue("{\"title\": {\"nested\": 1}}")
					.exchange(), 400, "/books").get("detail")).asString().contains("'title'"));
	}

	@ParameterizedTest(name = "problem details enabled: {0}")
	@ValueSource(booleans = { false, true })
	void typeMismatchIsA400ProblemNamingTheParameter(boolean enabled) {
		run(enabled,
				(client) -> assertThat(
						expectProblem(client.get().uri("/books/abc").exchange(), 400, "/books/abc").get("detail"))
					.asString()
					.contains("'id'"));
	}

	@ParameterizedTest(name = "problem details enabled: {0}")
	@ValueSource(booleans = { false, true })
	void missingParameterIsA400ProblemNamingIt(boolean enabled) {
		run(enabled,
				(client) -> assertThat(
						expectProblem(client.get().uri("/search").exchange(), 400, "/search").get("detail"))
					.asString()
					.contains("'page'"));
	}

	@ParameterizedTest(name = "problem details enabled: {0}")
	@ValueSource(booleans = { false, true })
	void invalidBodyIsA400ProblemListingTheInvalidFields(boolean enabled) {
		run(enabled, (context, client) -> {
			warmUpValidation(context);
			Map<String, Object> problem = expectProblem(client.post()
				.uri("/books")
				.contentType(MediaType.APPLICATION_JSON)
				.bodyValue(Map.of("title", " "))
				.exchange(), 400, "/books");
			assertThat(problem.get("errors")).asList()
				.containsExactly(Map.of("field", "title", "message", "must not be blank"));
		});
	}

	@ParameterizedTest(name = "problem details enabled: {0}")
	@ValueSource(booleans = { false, true })
	void invalidParameterIsA400ProblemListingIt(boolean enabled) {
		run(enabled, (context, client) -> {
			warmUpValidation(context);
			assertThat(expectProblem(client.get().uri("/search?page=0").exchange(), 400, "/search").get("errors"))
				.asList()
				.containsExactly(Map.of("field", "page", "message", "must be greater than or equal to 1"));
		});
	}

	@Test
	void constraintViolationsInAFunctionalRouteAreA400ProblemListingThem() {
		run(false, (context, client) -> {
			warmUpValidation(context);
			assertThat(expectProblem(client.post()
				.uri("/fn/checked-books")
				.contentType(MediaType.APPLICATION_JSON)
				.bodyValue(Map.of("title", "x".repeat(21)))
				.exchange(), 400, "/fn/checked-books").get("errors")).asList()
				.containsExactly(Map.of("field", "title", "message", "size must be between 0 and 20"));
		});
	}

	@ParameterizedTest(name = "problem details enabled: {0}")
	@ValueSource(booleans = { false, true })
	void bodyAboveTheCodecLimitIsA413Problem(boolean enabled) {
		String large = "{\"title\": \"" + "x".repeat(4096) + "\"}";
		run(enabled, (client) -> {
			for (String path : List.of("/books", "/fn/books")) {
				expectProblem(
						client.post().uri(path).contentType(MediaType.APPLICATION_JSON).bodyValue(large).exchange(),
						413, path);
			}
		});
	}

	@ParameterizedTest(name = "problem details enabled: {0}")
	@ValueSource(booleans = { false, true })
	void fullWorkerPoolIsA503ProblemWithRetryAfter(boolean enabled) {
		run(enabled, (client) -> {
			for (String path : List.of("/busy", "/fn/busy")) {
				WebTestClient.ResponseSpec response = client.get().uri(path).exchange();
				response.expectHeader().valueEquals(HttpHeaders.RETRY_AFTER, "1");
				expectProblem(response, 503, path);
			}
		});
	}

	@ParameterizedTest(name = "problem details enabled: {0}")
	@ValueSource(booleans = { false, true })
	void unexpectedFailureIsA500ProblemWithAGenericDetail(boolean enabled) {
		run(enabled, (client) -> {
			for (String path : List.of("/boom", "/fn/boom")) {
				Map<String, Object> problem = expectProblem(client.get().uri(path).exchange(), 500, path);
				assertThat(problem.get("detail")).isEqualTo("The server failed to handle the request.");
				assertThat(problem.get("requestId")).asString().isNotEmpty();
			}
		});
	}

	@ParameterizedTest(name = "problem details enabled: {0}")
	@ValueSource(booleans = { false, true })
	void responseStatusReasonIsTheDetail(boolean enabled) {
		run(enabled,
				(client) -> assertThat(expectProblem(client.get().uri("/books/0").exchange(), 404, "/books/0"))
					.containsEntry("detail", "No book with id 0")
					.containsEntry("title", "Not Found"));
	}

	@Test
	void responseStatusAnnotationGivesStatusAndReason() {
		run(false, (client) -> assertThat(expectProblem(client.get().uri("/locked").exchange(), 409, "/locked"))
			.containsEntry("detail", "The book is being edited"));
	}

	@Test
	void applicationsOwnErrorHandlerAnswers() {
		this.contextRunner.withUserConfiguration(TeapotErrorHandlerConfiguration.class)
			.run((context) -> WebTestClient.bindToApplicationContext(context)
				.build()
				.get()
				.uri("/nothing")
				.exchange()
				.expectStatus()
				.isEqualTo(HttpStatus.I_AM_A_TEAPOT));
	}

	/**
	 * Hibernate Validator reads its message bundles on first use, which must not happen
	 * on a request thread.
	 */
	private static void warmUpValidation(ApplicationContext context) {
		context.getBean(Validator.class).validate(new WebTestApplication.Book(" "));
	}

	private void run(boolean problemDetailsEnabled, Consumer<WebTestClient> test) {
		run(problemDetailsEnabled, (context, client) -> test.accept(client));
	}

	private void run(boolean problemDetailsEnabled, BiConsumer<ApplicationContext, WebTestClient> test) {
		this.contextRunner.withPropertyValues("spring.webflux.problemdetails.enabled=" + problemDetailsEnabled)
			.run((context) -> test.accept(context, WebTestClient.bindToApplicationContext(context).build()));
	}

	/**
	 * Checks the RFC 9457 shape of the answer and that it names nothing internal.
	 */
	static Map<String, Object> expectProblem(WebTestClient.ResponseSpec response, int status, String instance) {
		byte[] body = response.expectStatus()
			.isEqualTo(status)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.type")
			.isEqualTo("about:blank")
			.jsonPath("$.title")
			.isNotEmpty()
			.jsonPath("$.status")
			.isEqualTo(status)
			.jsonPath("$.detail")
			.isNotEmpty()
			.jsonPath("$.instance")
			.isEqualTo(instance)
			.returnResult()
			.getResponseBody();
		String text = new String(body, StandardCharsets.UTF_8);
		assertThat(text).doesNotContain("dev.protevus", "java.", "Exception", "org.springframework", "jackson",
				"secret", "trace");
		try {
			@SuppressWarnings("unchecked")
			Map<String, Object> problem = new ObjectMapper().readValue(body, Map.class);
			return problem;
		}
		catch (IOException ex) {
			throw new AssertionError("Not JSON: " + text, ex);
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class TeapotErrorHandlerConfiguration {

		@Bean
		@Order(-2)
		ErrorWebExceptionHandler teapot() {
			return (exchange, ex) -> {
				exchange.getResponse().setStatusCode(HttpStatus.I_AM_A_TEAPOT);
				return Mono.empty().then(exchange.getResponse().setComplete());
			};
		}

	}

}
