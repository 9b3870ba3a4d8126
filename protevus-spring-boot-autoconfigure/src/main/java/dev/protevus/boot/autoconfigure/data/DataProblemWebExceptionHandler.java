package dev.protevus.boot.autoconfigure.data;

import java.time.Duration;

import dev.protevus.boot.data.query.InvalidCursorException;
import dev.protevus.boot.data.relation.UnknownRelationException;
import dev.protevus.boot.web.ProblemResponseWriter;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.R2dbcTimeoutException;
import io.r2dbc.spi.R2dbcTransientResourceException;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;

/**
 * Answers requests that failed in the data layer with {@code application/problem+json}
 * instead of a generic 500: {@code 503} with {@code Retry-After} when the database could
 * not be reached or no pooled connection was free within the acquire time (the client
 * should come back), and {@code 400} for an unknown relation name (listing the valid
 * ones) or a malformed page cursor (the client sent them).
 */
class DataProblemWebExceptionHandler implements WebExceptionHandler, Ordered {

	private final ProblemResponseWriter problems;

	private final Duration retryAfter;

	DataProblemWebExceptionHandler(ProblemResponseWriter problems, Duration retryAfter) {
		this.problems = problems;
		this.retryAfter = retryAfter;
	}

	@Override
	public int getOrder() {
		// Before Spring Boot's error handler (-1), which would answer 500.
		return -2;
	}

	@Override
	public Mono<Void> handle(ServerWebExchange exchange, Throwable ex) {
		ProblemDetail problem = problemFor(ex);
		if (problem == null || exchange.getResponse().isCommitted()) {
			return Mono.error(ex);
		}
		HttpHeaders headers = (problem.getStatus() == HttpStatus.SERVICE_UNAVAILABLE.value())
				? ProblemResponseWriter.retryAfter(this.retryAfter) : null;
		return this.problems.write(exchange, problem, headers);
	}

	private static ProblemDetail problemFor(Throwable ex) {
		UnknownRelationException unknownRelation = find(ex, UnknownRelationException.class);
		if (unknownRelation != null) {
			// Not the exception's message, which names the entity class.
			ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
					"Unknown relation '" + unknownRelation.getName() + "' in '" + unknownRelation.getPath()
							+ "'; valid relations there are " + String.join(", ", unknownRelation.getValidNames()));
			problem.setProperty("validRelations", unknownRelation.getValidNames());
			return problem;
		}
		InvalidCursorException invalidCursor = find(ex, InvalidCursorException.class);
		if (invalidCursor != null) {
			return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, invalidCursor.getMessage());
		}
		if (isDatabaseUnavailable(ex)) {
			return ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
					"The database is busy or unreachable; retry shortly.");
		}
		return null;
	}

	private static <E extends Throwable> E find(Throwable ex, Class<E> type) {
		for (Throwable cause = ex; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			if (type.isInstance(cause)) {
				return type.cast(cause);
			}
		}
		return null;
	}

	/**
	 * Whether the failure is the database's unavailability: a connection that could not
	 * be obtained (Spring's wrapper around an acquire timeout or a refused connection),
	 * or a resource error of the driver.
	 */
	static boolean isDatabaseUnavailable(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			if (cause instanceof DataAccessResourceFailureException && hasR2dbcCause(cause)) {
				return true;
			}
			if (cause instanceof R2dbcNonTransientResourceException
					|| cause instanceof R2dbcTransientResourceException) {
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
		for (Throwable cause = ex.getCause(); cause != null; cause = (cause.getCause() != cause) ? cause.getCause()
				: null) {
			if (cause instanceof io.r2dbc.spi.R2dbcException || cause instanceof java.net.ConnectException
					|| cause instanceof java.util.concurrent.TimeoutException) {
				return true;
			}
		}
		return false;
	}

}
