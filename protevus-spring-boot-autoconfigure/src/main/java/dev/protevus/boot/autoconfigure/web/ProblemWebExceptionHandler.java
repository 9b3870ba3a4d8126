package dev.protevus.boot.autoconfigure.web;

import dev.protevus.boot.web.ProblemResponseWriter;
import reactor.core.publisher.Mono;

import org.springframework.boot.web.reactive.error.ErrorWebExceptionHandler;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;

/**
 * Answers every request that failed, whether in an annotated controller, a functional
 * route, a filter or for a path nothing handles, with {@code application/problem+json}.
 * It takes the place of Spring Boot's error handler, which answers JSON error attributes
 * or an HTML page.
 */
class ProblemWebExceptionHandler implements ErrorWebExceptionHandler, Ordered {

	private final ProblemResponseWriter problems;

	ProblemWebExceptionHandler(ProblemResponseWriter problems) {
		this.problems = problems;
	}

	@Override
	public int getOrder() {
		// Spring Boot's error handler's place: after handlers of specific failures, such
		// as
		// Protevus's data problems (-2).
		return -1;
	}

	@Override
	public Mono<Void> handle(ServerWebExchange exchange, Throwable ex) {
		if (exchange.getResponse().isCommitted()) {
			return Mono.error(ex);
		}
		WebProblems.Problem problem = WebProblems.of(ex, exchange);
		return this.problems.write(exchange, problem.detail(), problem.headers());
	}

}
