package dev.protevus.boot.partial;

import java.util.concurrent.atomic.AtomicInteger;

import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.NettyCustomizer;
import io.netty.bootstrap.Bootstrap;

import org.springframework.boot.autoconfigure.data.redis.ClientResourcesBuilderCustomizer;

/**
 * Counts the connections Lettuce tries to open, whether or not a server answers: Lettuce
 * hands each connection's Netty bootstrap to its {@link NettyCustomizer} before it
 * connects. Spring Boot applies this customizer to the {@link ClientResources} it
 * creates.
 */
class RedisConnectAttempts implements ClientResourcesBuilderCustomizer {

	private final AtomicInteger attempts = new AtomicInteger();

	@Override
	public void customize(ClientResources.Builder builder) {
		builder.nettyCustomizer(new NettyCustomizer() {

			@Override
			public void afterBootstrapInitialized(Bootstrap bootstrap) {
				RedisConnectAttempts.this.attempts.incrementAndGet();
			}

		});
	}

	int count() {
		return this.attempts.get();
	}

}
