package dev.protevus.boot.queue;

import java.time.Duration;

import dev.protevus.boot.web.Problem;
import dev.protevus.boot.web.ProblemMapper;

import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.lang.Nullable;

/**
 * Answers a request that failed because a job could not be published
 * ({@link QueueUnavailableException}) with {@code 503 Service Unavailable} and
 * {@code Retry-After}. The detail names neither the queue nor the broker.
 *
 * @since 0.1.0
 */
public final class QueueProblemMapper implements ProblemMapper, Ordered {

	static final String DETAIL = "The server cannot accept this work right now; retry shortly.";

	private final Duration retryAfter = Duration.ofSeconds(1);

	@Override
	@Nullable
	public Problem map(Throwable ex) {
		if (ex instanceof QueueUnavailableException) {
			return Problem.retryLater(HttpStatus.SERVICE_UNAVAILABLE, DETAIL, this.retryAfter);
		}
		return null;
	}

	@Override
	public int getOrder() {
		return 0;
	}

}
