package dev.protevus.boot.web;

import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Predicate;

import io.github.resilience4j.bulkhead.Bulkhead;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.util.Assert;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Sheds load above {@code protevus.web.max-in-flight} concurrent requests: a resilience4j
 * semaphore {@link Bulkhead} that never waits admits a request or answers 503
 * problem+json with {@code Retry-After} at once, before any work, so that an overloaded
 * instance stays responsive and a load balancer can send the client elsewhere. The permit
 * is returned when the response is written, the request fails or the client goes away.
 * Health checks get through even when the instance is full.
 *
 * @since 0.1.0
 */
public class InFlightLimitWebFilter implements WebFilter, Ordered {

	private static final Duration RETRY_AFTER = Duration.ofSeconds(1);

	private final Predicate<ServerHttpRequest> exempt;

	private final Bulkhead bulkhead;

	private final Consumer<SignalType> release;

	private final ProblemResponseWriter problems;

	private final String detail;

	/**
	 * Creates the filter.
	 * @param bulkhead the semaphore bulkhead that admits requests, usually the
	 * {@code protevus-web} bulkhead of resilience4j's registry; its maximum wait duration
	 * must be zero, since a request that waited would hold its event loop
	 * @param problems writes the 503 answers
	 * @param exempt requests that are let through even when the instance is full, such as
	 * health checks
	 */
	public InFlightLimitWebFilter(Bulkhead bulkhead, ProblemResponseWriter problems,
			Predicate<ServerHttpRequest> exempt) {
		Assert.isTrue(bulkhead.getBulkheadConfig().getMaxWaitDuration().isZero(),
				() -> "Bulkhead '" + bulkhead.getName() + "' must not wait, but its maximum wait duration is "
						+ bulkhead.getBulkheadConfig().getMaxWaitDuration());
		this.exempt = exempt;
		this.bulkhead = bulkhead;
		this.release = (signal) -> this.bulkhead.onComplete();
		this.problems = problems;
		this.detail = "The server is handling " + bulkhead.getBulkheadConfig().getMaxConcurrentCalls()
				+ " requests already; retry shortly.";
	}

	@Override
	public int getOrder() {
		return WebFilterOrder.MAX_IN_FLIGHT;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		if (this.bulkhead.tryAcquirePermission()) {
			return chain.filter(exchange).doFinally(this.release);
		}
		if (this.exempt.test(exchange.getRequest())) {
			return chain.filter(exchange);
		}
		HttpHeaders headers = ProblemResponseWriter.retryAfter(RETRY_AFTER);
		return this.problems.write(exchange,
				ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, this.detail), headers);
	}

	/**
	 * Requests being served right now.
	 * @return how many
	 */
	public int inFlight() {
		return this.bulkhead.getBulkheadConfig().getMaxConcurrentCalls()
				- this.bulkhead.getMetrics().getAvailableConcurrentCalls();
	}

}
