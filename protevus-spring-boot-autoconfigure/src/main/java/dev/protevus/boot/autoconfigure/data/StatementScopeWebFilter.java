package dev.protevus.boot.autoconfigure.data;

import dev.protevus.boot.data.StatementScope;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Gives every web request its own {@link StatementScope}, so that N+1 detection counts
 * statements per request.
 */
class StatementScopeWebFilter implements WebFilter, Ordered {

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		return StatementScope.tracked(chain.filter(exchange),
				exchange.getRequest().getMethod() + " " + exchange.getRequest().getPath().value());
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE + 100;
	}

}
