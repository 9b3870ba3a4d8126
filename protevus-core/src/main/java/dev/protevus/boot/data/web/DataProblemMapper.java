package dev.protevus.boot.data.web;

import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

import dev.protevus.boot.data.NPlusOneQueryException;
import dev.protevus.boot.data.StatementTimeoutException;
import dev.protevus.boot.data.query.InvalidCursorException;
import dev.protevus.boot.data.query.InvalidPageSizeException;
import dev.protevus.boot.data.relation.UnknownRelationException;
import dev.protevus.boot.web.Problem;
import dev.protevus.boot.web.ProblemMapper;
import dev.protevus.boot.web.Problems;
import io.r2dbc.spi.R2dbcException;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.R2dbcTimeoutException;
import io.r2dbc.spi.R2dbcTransientResourceException;

import org.springframework.core.Ordered;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.HttpStatus;
import org.springframework.lang.Nullable;

/**
 * Maps the data layer's failures to problems instead of a generic 500: {@code 503} with
 * {@code Retry-After} when the database could not be reached or no pooled connection was
 * free within the acquire time (the client should come back), {@code 504} when a
 * statement ran longer than {@code protevus.data.statement-timeout}, {@code 400} for an
 * unknown relation name (listing the valid ones as {@code validRelations}), a malformed
 * page cursor or a page size outside 1 to the maximum (with {@code maxLimit}), which the
 * client sent, and a {@code 500} that says what happened for a request that failed N+1
 * detection in fail mode.
 *
 * @since 0.1.0
 */
public class DataProblemMapper implements ProblemMapper, Ordered {

	private final Duration retryAfter;

	/**
	 * Creates the mapper.
	 * @param retryAfter how long a client should wait before it retries when the database
	 * is unavailable, usually the pool's maximum acquire time
	 */
	public DataProblemMapper(Duration retryAfter) {
		this.retryAfter = retryAfter;
	}

	@Override
	public int getOrder() {
		return 0;
	}

	@Override
	@Nullable
	public Problem map(Throwable ex) {
		if (ex instanceof UnknownRelationException unknownRelation) {
			// Not the exception's message, which names the entity class.
			Problem problem = Problem.of(HttpStatus.BAD_REQUEST,
					"Unknown relation '" + unknownRelation.getName() + "' in '" + unknownRelation.getPath()
							+ "'; valid relations there are " + String.join(", ", unknownRelation.getValidNames()));
			problem.detail().setProperty("validRelations", unknownRelation.getValidNames());
			return problem;
		}
		if (ex instanceof InvalidCursorException invalidCursor) {
			String detail = Problems.safe(invalidCursor.getMessage());
			return Problem.of(HttpStatus.BAD_REQUEST, (detail != null) ? detail : "The page cursor is not valid.");
		}
		if (ex instanceof InvalidPageSizeException pageSize) {
			Problem problem = Problem.of(HttpStatus.BAD_REQUEST, "The page size must be between 1 and "
					+ pageSize.getMaxLimit() + ", but was " + pageSize.getLimit() + ".");
			problem.detail().setProperty("maxLimit", pageSize.getMaxLimit());
			return problem;
		}
		if (ex instanceof StatementTimeoutException) {
			return Problem.of(HttpStatus.GATEWAY_TIMEOUT, "The database did not answer in time.");
		}
		if (ex instanceof NPlusOneQueryException) {
			// Only with protevus.data.n-plus-one=fail, a setting for tests: the server
			// log names the statement.
			return Problem.of(HttpStatus.INTERNAL_SERVER_ERROR,
					"The request ran one statement too many times (N+1 queries) and was stopped; the server log names it.");
		}
		if (isDatabaseUnavailable(ex)) {
			return Problem.retryLater(HttpStatus.SERVICE_UNAVAILABLE,
					"The database is busy or unreachable; retry shortly.", this.retryAfter);
		}
		return null;
	}

	/**
	 * Whether an exception says the database is unavailable: a connection that could not
	 * be obtained (Spring's wrapper around an acquire timeout or a refused connection), a
	 * resource error of the driver, or a timed out connection acquisition.
	 */
	private static boolean isDatabaseUnavailable(Throwable ex) {
		if (ex instanceof DataAccessResourceFailureException && ex.getCause() != null) {
			return Problems.causes(ex.getCause())
				.stream()
				.anyMatch((cause) -> cause instanceof R2dbcException || cause instanceof ConnectException
						|| cause instanceof TimeoutException);
		}
		if (ex instanceof R2dbcNonTransientResourceException || ex instanceof R2dbcTransientResourceException) {
			return true;
		}
		return ex instanceof R2dbcTimeoutException timeout && timeout.getMessage() != null
				&& timeout.getMessage().startsWith("Connection acquisition");
	}

}
