package dev.protevus.boot.autoconfigure.data;

import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.List;

import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.R2dbcTimeoutException;
import io.r2dbc.spi.R2dbcTransientResourceException;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.codec.HttpMessageWriter;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.reactive.result.view.ViewResolver;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;

/**
 * Answers a request that failed because the database could not be reached, or no pooled
 * connection was free within the acquire time, with {@code 503} and {@code Retry-After} as
 * {@code application/problem+json} instead of a generic 500: the client should come back.
 */
class DataProblemWebExceptionHandler implements WebExceptionHandler, Ordered {

	private final List<HttpMessageWriter<?>> writers;

	private final Duration retryAfter;

	DataProblemWebExceptionHandler(ServerCodecConfigurer codecs, Duration retryAfter) {
		this.writers = codecs.getWriters();
		this.retryAfter = retryAfter;
	}

	@Override
	public int getOrder() {
		// Before Spring Boot's error handler (-1), which would answer 500.
		return -2;
	}

	@Override
	public Mono<Void> handle(ServerWebExchange exchange, Throwable ex) {
		if (!isDatabaseUnavailable(ex) || exchange.getResponse().isCommitted()) {
			return Mono.error(ex);
		}
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
				"The database is busy or unreachable; retry shortly.");
		problem.setTitle("Service Unavailable");
		problem.setInstance(URI.create(exchange.getRequest().getPath().value()));
		long seconds = Math.max(1, (this.retryAfter.toMillis() + 999) / 1000);
		return ServerResponse.status(HttpStatus.SERVICE_UNAVAILABLE)
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.header(HttpHeaders.RETRY_AFTER, Long.toString(seconds))
			.bodyValue(problem)
			.flatMap((response) -> response.writeTo(exchange, new Context()));
	}

	/**
	 * Whether the failure is the database's unavailability: a connection that could not be
	 * obtained (Spring's wrapper around an acquire timeout or a refused connection), or a
	 * resource error of the driver.
	 */
	static boolean isDatabaseUnavailable(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			if (cause instanceof DataAccessResourceFailureException && hasR2dbcCause(cause)) {
				return true;
			}
			if (cause instanceof R2dbcNonTransientResourceException || cause instanceof R2dbcTransientResourceException) {
				return true;
			}
			if (cause instanceof R2dbcTimeoutException timeout && timeout.getMessage() != null
					&& timeout.getMessage().startsWith("Connection acquisition")) {
				return true;
			}
		}
		return false;
	}

	private static boolean hasR2dbcCause(Throwable ex) {
		for (Throwable cause = ex.getCause(); cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			if (cause instanceof io.r2dbc.spi.R2dbcException || cause instanceof java.net.ConnectException
					|| cause instanceof java.util.concurrent.TimeoutException) {
				return true;
			}
		}
		return false;
	}

	private final class Context implements ServerResponse.Context {

		@Override
		public List<HttpMessageWriter<?>> messageWriters() {
			return DataProblemWebExceptionHandler.this.writers;
		}

		@Override
		public List<ViewResolver> viewResolvers() {
			return Collections.emptyList();
		}

	}

}
