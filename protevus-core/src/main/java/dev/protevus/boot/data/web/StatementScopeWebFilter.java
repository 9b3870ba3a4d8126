package dev.protevus.boot.data.web;

import dev.protevus.boot.data.StatementScope;
import dev.protevus.boot.web.WebFilterOrder;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Gives every web request its own {@link StatementScope}, named by its method and path,
 * so that N+1 detection counts statements per request. Runs at
 * {@link WebFilterOrder#STATEMENT_SCOPE}, before Protevus's other filters, so that their
 * statements count too.
 *
 * @since 0.1.0
 */
public class StatementScopeWebFilter implements WebFilter, Ordered {

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		return StatementScope.tracked(chain.filter(exchange),
				() -> exchange.getRequest().getMethod() + " " + exchange.getRequest().getPath().value());
	}

	@Override
	public int getOrder() {
		return WebFilterOrder.STATEMENT_SCOPE;
	}

}
