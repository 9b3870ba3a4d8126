package dev.protevus.boot.web;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.Principal;
import java.time.Duration;
import java.util.function.Function;
import java.util.function.Predicate;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Limits each client's request rate with its own resilience4j {@link RateLimiter},
 * answering 429 problem+json with {@code Retry-After} above the limit. Every response
 * carries the {@code RateLimit-Limit}, {@code RateLimit-Remaining} and
 * {@code RateLimit-Reset} headers of the IETF draft, so that well-behaved clients can
 * slow down before they are refused. Health checks are not limited.
 * <p>
 * Limiters live in a bounded cache. A limiter left idle for a whole refresh period has
 * its full allowance again, exactly like a new one, so dropping it then loses nothing.
 *
 * @since 0.1.0
 */
public class RateLimitWebFilter implements WebFilter, Ordered {

	/**
	 * Header of the IETF rate limit draft: How many requests a client may make in each
	 * period.
	 */
	public static final String LIMIT = "RateLimit-Limit";

	/**
	 * Header of the IETF rate limit draft: How many requests the client has left in this
	 * period.
	 */
	public static final String REMAINING = "RateLimit-Remaining";

	/**
	 * Header of the IETF rate limit draft: Seconds until the client's allowance is
	 * refilled.
	 */
	public static final String RESET = "RateLimit-Reset";

	/**
	 * Clients tracked at most; past it the least recently seen lose their history.
	 */
	public static final int MAXIMUM_CLIENTS = 100_000;

	private static final Object UNKNOWN_CLIENT = new Object();

	private final Predicate<ServerHttpRequest> exempt;

	private final RateLimitKey key;

	private final Cache<Object, Bucket> buckets;

	private final Function<Object, Bucket> newBucket;

	private final ProblemResponseWriter problems;

	private final String limit;

	private final long periodNanos;

	private final String detail;

	/**
	 * Creates the filter.
	 * @param key what identifies a client
	 * @param config each client's limit, usually that of the {@code protevus-web} rate
	 * limiter in resilience4j's registry
	 * @param problems writes the 429 answers
	 * @param exempt requests that are never limited, such as health checks
	 */
	public RateLimitWebFilter(RateLimitKey key, RateLimiterConfig config, ProblemResponseWriter problems,
			Predicate<ServerHttpRequest> exempt) {
		RateLimiterConfig noWait = RateLimiterConfig.from(config).timeoutDuration(Duration.ZERO).build();
		Duration period = noWait.getLimitRefreshPeriod();
		this.exempt = exempt;
		this.key = key;
		this.buckets = Caffeine.newBuilder()
			.maximumSize(MAXIMUM_CLIENTS)
			.expireAfterAccess(max(period, Duration.ofSeconds(1)))
			.build();
		this.newBucket = (client) -> new Bucket(noWait);
		this.problems = problems;
		this.limit = Integer.toString(noWait.getLimitForPeriod());
		this.periodNanos = period.toNanos();
		this.detail = "More than " + noWait.getLimitForPeriod() + " requests in " + Problems.format(period)
				+ "; retry after the time in Retry-After.";
	}

	@Override
	public int getOrder() {
		return (this.key.kind() == RateLimitKey.Kind.PRINCIPAL) ? WebFilterOrder.RATE_LIMIT_BY_PRINCIPAL
				: WebFilterOrder.RATE_LIMIT;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		if (this.exempt.test(exchange.getRequest())) {
			return chain.filter(exchange);
		}
		return switch (this.key.kind()) {
			case CLIENT_IP -> limit(client(exchange.getRequest()), exchange, chain);
			case HEADER -> {
				String value = exchange.getRequest().getHeaders().getFirst(this.key.header());
				yield limit((value != null && !value.isEmpty()) ? value : client(exchange.getRequest()), exchange,
						chain);
			}
			case PRINCIPAL -> exchange.getPrincipal()
				.map(Principal::getName)
				.defaultIfEmpty("")
				.flatMap((name) -> limit(name.isEmpty() ? client(exchange.getRequest()) : name, exchange, chain));
		};
	}

	private Mono<Void> limit(Object client, ServerWebExchange exchange, WebFilterChain chain) {
		Bucket bucket = this.buckets.get(client, this.newBucket);
		boolean permitted = bucket.limiter.acquirePermission();
		int remaining = Math.max(0, bucket.limiter.getMetrics().getAvailablePermissions());
		String reset = Long.toString(bucket.secondsToReset(this.periodNanos));
		HttpHeaders headers = exchange.getResponse().getHeaders();
		headers.set(LIMIT, this.limit);
		headers.set(REMAINING, Integer.toString(remaining));
		headers.set(RESET, reset);
		if (permitted) {
			return chain.filter(exchange);
		}
		HttpHeaders retryAfter = new HttpHeaders();
		retryAfter.set(HttpHeaders.RETRY_AFTER, reset);
		return this.problems.write(exchange,
				ProblemDetail.forStatusAndDetail(HttpStatus.TOO_MANY_REQUESTS, this.detail), retryAfter);
	}

	/**
	 * The client's address as the server sees it: Boot's forwarded-header support
	 * (Reactor Netty's with {@code native}, Spring's transformer with {@code framework})
	 * has already replaced it with the X-Forwarded-For address when the application
	 * trusts that header.
	 */
	private static Object client(ServerHttpRequest request) {
		InetSocketAddress remote = request.getRemoteAddress();
		if (remote == null) {
			return UNKNOWN_CLIENT;
		}
		InetAddress address = remote.getAddress();
		// A forwarded address is unresolved; the record keeps it apart from header
		// values.
		return (address != null) ? address : new UnresolvedClient(remote.getHostString());
	}

	private static Duration max(Duration a, Duration b) {
		return (a.compareTo(b) >= 0) ? a : b;
	}

	private record UnresolvedClient(String host) {
	}

	/**
	 * One client's limiter and when its refresh periods started counting.
	 */
	private static final class Bucket {

		private final long start;

		private final RateLimiter limiter;

		Bucket(RateLimiterConfig config) {
			// resilience4j counts its periods from its own creation, a moment later.
			this.start = System.nanoTime();
			this.limiter = RateLimiter.of("protevus-web", config);
		}

		long secondsToReset(long periodNanos) {
			long intoPeriod = (System.nanoTime() - this.start) % periodNanos;
			return Math.max(1, (periodNanos - intoPeriod + 999_999_999L) / 1_000_000_000L);
		}

	}

}
