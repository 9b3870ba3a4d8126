package dev.protevus.boot.autoconfigure.async;

import dev.protevus.boot.async.Offload;
import dev.protevus.boot.async.WorkerPools;
import dev.protevus.boot.autoconfigure.ConditionalOnProtevusEnabled;
import dev.protevus.boot.autoconfigure.ProtevusAutoConfiguration;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.http.client.autoconfigure.reactive.ReactiveHttpClientAutoConfiguration;
import org.springframework.boot.reactor.netty.autoconfigure.NettyReactiveWebServerAutoConfiguration;
import org.springframework.context.annotation.Import;

/**
 * Provides {@link WorkerPools}, the named bounded pools that keep CPU-heavy and blocking
 * work off the Netty event loops, and {@link Offload @Offload} for bean methods; in a
 * reactive web application, also the event-loop lag monitor (probing from the shared
 * background scheduler) and the 503 problem for a full pool. Backs off to a
 * {@link WorkerPools} of the application's own, which {@code @Offload} then uses.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = { ProtevusAutoConfiguration.class, NettyReactiveWebServerAutoConfiguration.class,
		ReactiveHttpClientAutoConfiguration.class })
@ConditionalOnProtevusEnabled
@ConditionalOnBooleanProperty(name = "protevus.async.enabled", matchIfMissing = true)
@ConditionalOnClass(Mono.class)
@EnableConfigurationProperties(AsyncProperties.class)
@Import({ AsyncConfigurations.EventLoopLagConfiguration.class, AsyncConfigurations.ProblemMapperConfiguration.class,
		AsyncConfigurations.WorkerPoolsConfiguration.class })
public class AsyncAutoConfiguration {

}
