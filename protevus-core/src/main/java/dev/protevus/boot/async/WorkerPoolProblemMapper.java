package dev.protevus.boot.async;

import java.time.Duration;

import dev.protevus.boot.web.Problem;
import dev.protevus.boot.web.ProblemMapper;

import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.lang.Nullable;
import org.springframework.util.Assert;

/**
 * Answers a request that failed because a worker pool was full
 * ({@link WorkerPoolFullException}) with {@code 503 Service Unavailable} and
 * {@code Retry-After}: the pools refuse work at once under overload, so the client is
 * told to come back rather than left to wait. The detail names neither the pool nor the
 * exception. Other {@code RejectedExecutionException}s are left to the web layer's own
 * mapping.
 *
 * @since 0.1.0
 */
public final class WorkerPoolProblemMapper implements ProblemMapper, Ordered {

	/**
	 * What the client reads.
	 */
	static final String DETAIL = "The server is too busy to take this request; retry shortly.";

	private final Duration retryAfter;

	/**
	 * Creates a mapper that asks clients to retry after one second.
	 */
	public WorkerPoolProblemMapper() {
		this(Duration.ofSeconds(1));
	}

	/**
	 * Creates a mapper.
	 * @param retryAfter how long clients should wait before they retry
	 */
	public WorkerPoolProblemMapper(Duration retryAfter) {
		Assert.isTrue(retryAfter.compareTo(Duration.ZERO) > 0,
				() -> "retryAfter must be positive but was " + retryAfter);
		this.retryAfter = retryAfter;
	}

	@Override
	@Nullable
	public Problem map(Throwable ex) {
		if (ex instanceof WorkerPoolFullException) {
			return Problem.retryLater(HttpStatus.SERVICE_UNAVAILABLE, DETAIL, this.retryAfter);
		}
		return null;
	}

	@Override
	public int getOrder() {
		return 0;
	}

}
