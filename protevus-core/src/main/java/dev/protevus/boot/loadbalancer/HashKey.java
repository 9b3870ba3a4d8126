package dev.protevus.boot.loadbalancer;

import org.springframework.cloud.client.loadbalancer.Request;
import org.springframework.cloud.client.loadbalancer.RequestData;
import org.springframework.cloud.client.loadbalancer.RequestDataContext;
import org.springframework.lang.Nullable;
import org.springframework.util.Assert;
import reactor.util.context.ContextView;

/**
 * What the consistent-hash strategy hashes to pick an instance: the inbound request's
 * client address, or a header or cookie of the load-balanced request.
 *
 * @param kind where the key comes from
 * @param name the header's or cookie's name, {@code null} for the client address
 * @since 0.1.0
 */
public record HashKey(Kind kind, @Nullable String name) {

	public HashKey {
		Assert.notNull(kind, "kind must not be null");
		Assert.isTrue((kind == Kind.CLIENT_IP) == (name == null || name.isBlank()),
				() -> "a name goes with kinds HEADER and COOKIE only, but kind was " + kind + " and name '" + name
						+ "'");
	}

	/**
	 * The client address of the inbound request being served, as
	 * {@link ClientAddressWebFilter} records it.
	 * @return the key
	 */
	public static HashKey clientIp() {
		return new HashKey(Kind.CLIENT_IP, null);
	}

	/**
	 * A header of the load-balanced request.
	 * @param name the header's name
	 * @return the key
	 */
	public static HashKey header(String name) {
		return new HashKey(Kind.HEADER, name);
	}

	/**
	 * A cookie of the load-balanced request.
	 * @param name the cookie's name
	 * @return the key
	 */
	public static HashKey cookie(String name) {
		return new HashKey(Kind.COOKIE, name);
	}

	/**
	 * The key of one request.
	 * @param request the load-balancer request
	 * @param context the Reactor context it is chosen in
	 * @return the key, or {@code null} when the request has none
	 */
	@Nullable
	public String of(Request<?> request, ContextView context) {
		if (this.kind == Kind.CLIENT_IP) {
			return context.<String>getOrEmpty(ClientAddressWebFilter.CONTEXT_KEY).orElse(null);
		}
		RequestData data = (request.getContext() instanceof RequestDataContext dataContext)
				? dataContext.getClientRequest() : null;
		if (data == null) {
			return null;
		}
		if (this.kind == Kind.HEADER) {
			return (data.getHeaders() != null) ? data.getHeaders().getFirst(this.name) : null;
		}
		return (data.getCookies() != null) ? data.getCookies().getFirst(this.name) : null;
	}

	/**
	 * Where a key comes from.
	 */
	public enum Kind {

		/**
		 * The inbound request's client address.
		 */
		CLIENT_IP,

		/**
		 * A request header.
		 */
		HEADER,

		/**
		 * A request cookie.
		 */
		COOKIE

	}

}
