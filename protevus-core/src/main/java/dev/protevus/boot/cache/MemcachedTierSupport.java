package dev.protevus.boot.cache;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

import com.spotify.folsom.AsciiMemcacheClient;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.util.Assert;

/**
 * What every memcached tier shares: one folsom client (which spreads keys over the
 * servers by consistent hashing), the key prefix, the per-operation timeout and one
 * circuit breaker, since all caches' memcached tiers fail together when memcached does.
 * <p>
 * Folsom is non-blocking: each command returns a {@link CompletionStage} completed on
 * folsom's event loop, so a memcached hit costs one round trip and wakes no other thread.
 * Operations are bounded by the remote tiers' one hashed wheel timer thread,
 * {@code protevus-cache-timeout}, ticking every 10 ms; an expired operation is failed on
 * Reactor's parallel scheduler, never on the timer's thread.
 * <p>
 * The client speaks memcached's text protocol (the binary one is deprecated since
 * memcached 1.6); it is shut down with this support.
 *
 * @since 0.1.0
 */
public final class MemcachedTierSupport implements DisposableBean {

	private static final Log logger = LogFactory.getLog(MemcachedTierSupport.class);

	private final AsciiMemcacheClient<byte[]> client;

	private final String keyPrefix;

	private final Duration timeout;

	private final CircuitBreaker circuitBreaker;

	/**
	 * Creates the support for memcached tiers.
	 * @param client the memcached client, for example
	 * {@code MemcacheClientBuilder.newByteArrayClient().withAddress(host, port).connectAscii()};
	 * shut down by {@link #destroy()}
	 * @param keyPrefix prefix of every key Protevus writes
	 * @param timeout bound of each operation, after which the tier counts as a miss
	 * @param circuitBreaker the breaker that stops calling memcached while it keeps
	 * failing
	 */
	public MemcachedTierSupport(AsciiMemcacheClient<byte[]> client, String keyPrefix, Duration timeout,
			CircuitBreaker circuitBreaker) {
		Assert.notNull(client, "client must not be null");
		Assert.isTrue(timeout != null && timeout.compareTo(Duration.ZERO) > 0,
				() -> "timeout must be positive but was " + timeout);
		Assert.notNull(circuitBreaker, "circuitBreaker must not be null");
		this.client = client;
		this.keyPrefix = (keyPrefix != null) ? keyPrefix : "";
		this.timeout = timeout;
		this.circuitBreaker = circuitBreaker;
		circuitBreaker.getEventPublisher()
			.onStateTransition((event) -> logger.warn("Memcached cache tiers: circuit breaker '"
					+ circuitBreaker.getName() + "' " + event.getStateTransition()
					+ ((event.getStateTransition().getToState() == CircuitBreaker.State.OPEN)
							? "; caches skip memcached until it answers again" : "")));
	}

	public String keyPrefix() {
		return this.keyPrefix;
	}

	public CircuitBreaker circuitBreaker() {
		return this.circuitBreaker;
	}

	/**
	 * The folsom client, for example to read its connection state.
	 * @return the client
	 */
	public AsciiMemcacheClient<byte[]> client() {
		return this.client;
	}

	Duration timeout() {
		return this.timeout;
	}

	/**
	 * Runs one command, bounded by the timeout and the circuit breaker, turning any
	 * failure into an empty result that has been counted and logged.
	 */
	<T> Mono<T> guard(Supplier<? extends CompletionStage<? extends T>> command, String what, TierCounters counters,
			RateLimitedLog log) {
		Mono<T> operation = Mono.fromCompletionStage(command);
		return bounded(operation, this.timeout).transformDeferred(CircuitBreakerOperator.of(this.circuitBreaker))
			.onErrorResume((ex) -> {
				if (!(ex instanceof CallNotPermittedException)) {
					counters.errors.increment();
					log.warn(what, ex);
				}
				return Mono.empty();
			});
	}

	/**
	 * Fails an operation with a {@link java.util.concurrent.TimeoutException} once the
	 * bound has passed, woken by a hashed wheel timer rather than a thread per operation.
	 */
	static <T> Mono<T> bounded(Mono<T> operation, Duration bound) {
		return RemoteTierTimeouts.bounded(operation, bound, null);
	}

	TierStore createStore(String cacheName, TieredCacheSettings settings, EntryCodec codec, Clock clock) {
		return new MemcachedTierStore(this, cacheName, settings, codec, clock);
	}

	/**
	 * Shuts the client down.
	 */
	@Override
	public void destroy() {
		this.client.shutdown();
	}

}
