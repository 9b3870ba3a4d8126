package dev.protevus.boot.web;

import reactor.core.publisher.Mono;

import org.springframework.boot.webflux.error.ErrorWebExceptionHandler;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;

/**
 * Answers every request that failed, whether in an annotated controller, a functional
 * route, a filter or for a path nothing handles, with {@code application/problem+json}.
 * It takes the place of Spring Boot's error handler, which answers JSON error attributes
 * or an HTML page, and at the same order.
 *
 * @since 0.1.0
 */
public class ProblemWebExceptionHandler implements ErrorWebExceptionHandler, Ordered {

	private final Problems problems;

	private final ProblemResponseWriter writer;

	/**
	 * Creates the handler.
	 * @param problems what failures are answered with
	 * @param writer writes the answers
	 */
	public ProblemWebExceptionHandler(Problems problems, ProblemResponseWriter writer) {
		this.problems = problems;
		this.writer = writer;
	}

	@Override
	public int getOrder() {
		// Spring Boot's error handler's place.
		return -1;
	}

	@Override
	public Mono<Void> handle(ServerWebExchange exchange, Throwable ex) {
		if (exchange.getResponse().isCommitted()) {
			return Mono.error(ex);
		}
		Problem problem = this.problems.resolve(ex, exchange);
		return this.writer.write(exchange, problem.detail(), problem.headers());
	}

}
