package dev.protevus.boot.loadbalancer;

import java.net.InetAddress;
import java.net.InetSocketAddress;

import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Records the client address of each inbound request in the Reactor context, so that the
 * consistent-hash strategy can key the load-balanced calls made while serving it (through
 * a {@code @LoadBalanced WebClient} or a Spring Cloud Gateway {@code lb://} route) on the
 * original client. The address is the remote address as the server sees it: Boot's
 * forwarded-header support has already replaced it with the forwarded one when
 * {@code server.forward-headers-strategy} trusts those headers.
 *
 * @since 0.1.0
 */
public class ClientAddressWebFilter implements WebFilter, Ordered {

	/**
	 * Key of the client address (a {@code String}) in the Reactor context.
	 */
	public static final String CONTEXT_KEY = ClientAddressWebFilter.class.getName() + ".address";

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		InetSocketAddress remote = exchange.getRequest().getRemoteAddress();
		if (remote == null) {
			return chain.filter(exchange);
		}
		InetAddress address = remote.getAddress();
		String client = (address != null) ? address.getHostAddress() : remote.getHostString();
		return chain.filter(exchange).contextWrite((context) -> context.put(CONTEXT_KEY, client));
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE + 10;
	}

}
