package dev.protevus.boot.autoconfigure.web;

import java.time.Duration;
import java.util.function.Consumer;

import dev.protevus.boot.web.ProblemResponseWriter;
import dev.protevus.boot.web.WebFilterOrder;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
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
 */
class InFlightLimitWebFilter implements WebFilter, Ordered {

	private static final Duration RETRY_AFTER = Duration.ofSeconds(1);

	private final WebLayerSettings settings;

	private final Bulkhead bulkhead;

	private final Consumer<SignalType> release;

	private final ProblemResponseWriter problems;

	private final String detail;

	InFlightLimitWebFilter(WebLayerSettings settings, ProblemResponseWriter problems) {
		int maxInFlight = settings.maxInFlight();
		this.settings = settings;
		this.bulkhead = Bulkhead.of("protevus-web",
				BulkheadConfig.custom()
					.maxConcurrentCalls(maxInFlight)
					.maxWaitDuration(Duration.ZERO)
					.fairCallHandlingStrategyEnabled(false)
					.build());
		this.release = (signal) -> this.bulkhead.onComplete();
		this.problems = problems;
		this.detail = "The server is handling " + maxInFlight + " requests already; retry shortly.";
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
		if (this.settings.isHealthCheck(exchange.getRequest())) {
			return chain.filter(exchange);
		}
		HttpHeaders headers = ProblemResponseWriter.retryAfter(RETRY_AFTER);
		return this.problems.write(exchange,
				ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, this.detail), headers);
	}

	/**
	 * Requests being served right now.
	 */
	int inFlight() {
		return this.bulkhead.getBulkheadConfig().getMaxConcurrentCalls()
				- this.bulkhead.getMetrics().getAvailableConcurrentCalls();
	}

}
