package dev.protevus.boot.loadbalancer;

import dev.protevus.boot.web.Problem;
import dev.protevus.boot.web.ProblemMapper;

import org.springframework.http.HttpStatus;
import org.springframework.lang.Nullable;

/**
 * Answers a request that needed a load-balanced service without any instance with 503 and
 * {@code Retry-After}; the detail names no service.
 *
 * @since 0.1.0
 */
public class LoadBalancerProblemMapper implements ProblemMapper {

	@Override
	@Nullable
	public Problem map(Throwable ex) {
		if (ex instanceof NoInstanceAvailableException unavailable) {
			return Problem.retryLater(HttpStatus.SERVICE_UNAVAILABLE,
					"A service this request needs is unavailable; retry later.", unavailable.getRetryAfter());
		}
		return null;
	}

}
