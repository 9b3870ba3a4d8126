package dev.protevus.boot.web;

import org.springframework.lang.Nullable;
import org.springframework.util.Assert;

/**
 * What identifies a client for rate limiting.
 *
 * @param kind where the client's identity comes from
 * @param header the request header that carries it, for {@link Kind#HEADER} only
 * @since 0.1.0
 */
public record RateLimitKey(Kind kind, @Nullable String header) {

	public RateLimitKey {
		Assert.notNull(kind, "kind must not be null");
		Assert.isTrue((kind == Kind.HEADER) == (header != null && !header.isBlank()),
				() -> "a header name goes with kind HEADER only, but kind was " + kind + " and header '" + header
						+ "'");
	}

	/**
	 * Clients by the remote address as the server sees it.
	 * @return the key
	 */
	public static RateLimitKey clientIp() {
		return new RateLimitKey(Kind.CLIENT_IP, null);
	}

	/**
	 * Clients by a request header's value, such as an API key.
	 * @param name the header's name
	 * @return the key
	 */
	public static RateLimitKey header(String name) {
		return new RateLimitKey(Kind.HEADER, name);
	}

	/**
	 * Clients by the authenticated user's name.
	 * @return the key
	 */
	public static RateLimitKey principal() {
		return new RateLimitKey(Kind.PRINCIPAL, null);
	}

	/**
	 * Where a client's identity comes from.
	 */
	public enum Kind {

		/**
		 * The remote address.
		 */
		CLIENT_IP,

		/**
		 * A request header, falling back to the remote address.
		 */
		HEADER,

		/**
		 * The principal's name, falling back to the remote address.
		 */
		PRINCIPAL

	}

}
