package dev.protevus.boot.autoconfigure.web;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of Protevus's web layer for WebFlux applications: request time bound, load
 * shedding, rate limits and HTTP caching headers. The Netty server itself stays under
 * Spring Boot's {@code server.netty.*} and {@code server.*} keys.
 *
 * @since 0.1.0
 */
@ConfigurationProperties(WebLayerProperties.PREFIX)
public class WebLayerProperties {

	static final String PREFIX = "protevus.web";

	/**
	 * Whether to enable Protevus's web layer: problem answers, request time-outs, the
	 * in-flight bound, rate limiting and HTTP caching headers.
	 */
	private boolean enabled = true;

	/**
	 * Longest time a request may take, from the first filter until its response is
	 * written. Past it the work is cancelled and the client gets 504 problem+json if
	 * nothing has been sent yet. Zero, the default, leaves requests unbound, as Spring
	 * Boot does: the bound costs every request a filter and a deadline. WebSocket
	 * upgrades and requests that accept text/event-stream or application/x-ndjson streams
	 * are not bound.
	 */
	private Duration requestTimeout = Duration.ZERO;

	/**
	 * Most requests served at once by this instance; above it requests are answered 503
	 * problem+json with Retry-After at once, before any work. Zero means unlimited. It is
	 * the default of resilience4j's 'protevus-web' bulkhead, which
	 * resilience4j.bulkhead.instances.protevus-web.max-concurrent-calls overrides.
	 */
	private int maxInFlight = 0;

	private final RateLimit rateLimit = new RateLimit();

	private final Problems problems = new Problems();

	/**
	 * Cache-Control header per path pattern (Spring PathPattern syntax), added to
	 * successful GET and HEAD responses that do not set one; the first matching pattern
	 * wins. Patterns start with '/', such as "/books/**" (quoted in YAML) or [/books/**].
	 */
	private Map<String, String> cacheControl = new LinkedHashMap<>();

	/**
	 * Whether to add a weak ETag, computed from the body, to GET and HEAD 200 responses
	 * with a JSON body, and to answer a matching If-None-Match with 304 and no body.
	 * Streaming responses and bodies larger than 256KB are not tagged. Off by default, as
	 * Spring's own ETag filter is: hashing and holding every body costs a small JSON
	 * endpoint about an eighth of its throughput.
	 */
	private boolean etag = false;

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public Duration getRequestTimeout() {
		return this.requestTimeout;
	}

	public void setRequestTimeout(Duration requestTimeout) {
		this.requestTimeout = requestTimeout;
	}

	public int getMaxInFlight() {
		return this.maxInFlight;
	}

	public void setMaxInFlight(int maxInFlight) {
		this.maxInFlight = maxInFlight;
	}

	public RateLimit getRateLimit() {
		return this.rateLimit;
	}

	public Problems getProblems() {
		return this.problems;
	}

	public Map<String, String> getCacheControl() {
		return this.cacheControl;
	}

	public void setCacheControl(Map<String, String> cacheControl) {
		this.cacheControl = cacheControl;
	}

	public boolean isEtag() {
		return this.etag;
	}

	public void setEtag(boolean etag) {
		this.etag = etag;
	}

	/**
	 * How failed requests are answered.
	 */
	public static class Problems {

		/**
		 * Whether to answer every failed request with application/problem+json, in place
		 * of Spring Boot's error handling. When false, Spring Boot's
		 * ErrorWebExceptionHandler and spring.webflux.problemdetails.enabled work as they
		 * do without Protevus.
		 */
		private boolean enabled = true;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

	/**
	 * Request rate limits per client. Each client gets a limiter with the configuration
	 * of resilience4j's 'protevus-web' rate limiter, whose defaults these are and which
	 * resilience4j.ratelimiter.instances.protevus-web.* overrides.
	 */
	public static class RateLimit {

		/**
		 * Whether to limit the request rate of each client, answering 429 problem+json
		 * with Retry-After above the limit.
		 */
		private boolean enabled = false;

		/**
		 * What identifies a client: client-ip (the remote address, which honours
		 * X-Forwarded-For only when server.forward-headers-strategy trusts it), 'header:'
		 * followed by a request header's name, such as header:X-Api-Key (that header's
		 * value), or principal (the authenticated user's name). Requests without the
		 * header or a principal are limited by client IP.
		 */
		private String key = "client-ip";

		/**
		 * How many requests one client may make in each refresh period.
		 */
		private int limitForPeriod = 100;

		/**
		 * Length of the period after which each client's allowance is refilled to
		 * 'limit-for-period'.
		 */
		private Duration limitRefreshPeriod = Duration.ofSeconds(1);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public String getKey() {
			return this.key;
		}

		public void setKey(String key) {
			this.key = key;
		}

		public int getLimitForPeriod() {
			return this.limitForPeriod;
		}

		public void setLimitForPeriod(int limitForPeriod) {
			this.limitForPeriod = limitForPeriod;
		}

		public Duration getLimitRefreshPeriod() {
			return this.limitRefreshPeriod;
		}

		public void setLimitRefreshPeriod(Duration limitRefreshPeriod) {
			this.limitRefreshPeriod = limitRefreshPeriod;
		}

	}

}
