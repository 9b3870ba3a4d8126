package dev.protevus.boot.web;

import org.springframework.core.Ordered;

/**
 * Where Protevus's web filters run, for applications that place their own filters around
 * them. Cheap rejections come first (rate limit, then load shedding), then the request
 * time bound, then HTTP caching headers; all of them before Spring Security's filter
 * chain ({@code -100}), so that a rejected request costs no authentication, except the
 * rate limit by principal, which needs the authenticated user and so runs just after it.
 *
 * @since 0.1.0
 */
public final class WebFilterOrder {

	/**
	 * Order of the data layer's per-request statement scope, which counts statements for
	 * N+1 detection: first, so that every filter's statements count too.
	 */
	public static final int STATEMENT_SCOPE = Ordered.HIGHEST_PRECEDENCE + 100;

	/**
	 * Order of the rate limit by client IP or header.
	 */
	public static final int RATE_LIMIT = -400;

	/**
	 * Order of the rate limit by principal, after Spring Security has authenticated the
	 * user.
	 */
	public static final int RATE_LIMIT_BY_PRINCIPAL = -90;

	/**
	 * Order of load shedding above {@code protevus.web.max-in-flight}.
	 */
	public static final int MAX_IN_FLIGHT = -300;

	/**
	 * Order of the whole-request time bound.
	 */
	public static final int REQUEST_TIMEOUT = -200;

	/**
	 * Order of the Cache-Control and ETag headers.
	 */
	public static final int HTTP_CACHING = -150;

	private WebFilterOrder() {
	}

}
