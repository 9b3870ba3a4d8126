package dev.protevus.boot.web;

import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.reactive.result.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.server.ServerWebExchange;

/**
 * Takes the place of Spring Boot's problem details handler when
 * {@code spring.webflux.problemdetails.enabled} is set, so that annotated controllers
 * answer Spring's exceptions with the same problems as the rest of the application.
 *
 * @since 0.1.0
 */
@ControllerAdvice
public class ProblemControllerAdvice extends ResponseEntityExceptionHandler {

	private final Problems problems;

	/**
	 * Creates the advice.
	 * @param problems what failures are answered with
	 */
	public ProblemControllerAdvice(Problems problems) {
		this.problems = problems;
	}

	@Override
	protected Mono<ResponseEntity<Object>> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
			HttpStatusCode status, ServerWebExchange exchange) {
		if (exchange.getResponse().isCommitted()) {
			return Mono.error(ex);
		}
		Problem problem = this.problems.resolve(ex, exchange);
		return Mono.just(ResponseEntity.status(problem.detail().getStatus())
			.headers(problem.headers())
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.body(problem.detail()));
	}

}
