package dev.protevus.boot.cache;

import java.time.Clock;
import java.time.Duration;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import io.lettuce.core.resource.ClientResources;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.connection.ReactiveRedisConnection;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.lang.Nullable;
import org.springframework.util.Assert;
import org.springframework.util.ClassUtils;

/**
 * What every Redis tier shares: one connection, the key prefix, the per-operation timeout
 * and one circuit breaker, since all caches' Redis tiers fail together when Redis does.
 * <p>
 * The connection comes from the application's connection factory, on a bounded-elastic
 * thread the first time it is needed (the factory connects synchronously), and is then
 * used directly, without a template, to keep a Redis hit close to the cost of the round
 * trip. For the same reason the single-key commands of hits, writes and evictions
 * ({@link RedisTierCommands}) go through Lettuce's own reactive API, on one more
 * connection that the factory's native client opens, when the factory is a
 * {@link LettuceConnectionFactory} whose own connections that client opens alike (see
 * {@link LettuceTierCommands}), and so do the invalidation messages that follow them;
 * otherwise, and for everything else (scans, locks), through Spring Data's connection.
 * <p>
 * Operations are bounded by the remote tiers' one hashed wheel timer thread,
 * {@code protevus-cache-timeout}, ticking every 10 ms (Lettuce's own timer ticks every
 * 100 ms, too coarse for a 250 ms bound). When the factory has Lettuce's
 * {@link ClientResources}, an expired operation is failed on Lettuce's event executors,
 * as Lettuce fails its own timeouts; otherwise on Reactor's parallel scheduler.
 * <p>
 * As a {@link SmartLifecycle} bean in the connection factory's phase, it closes its
 * connection when the context stops, before the factory, which closes every connection it
 * handed out: closed after that, Lettuce would log that the connection is already closed.
 *
 * @since 0.1.0
 */
public final class RedisTierSupport implements DisposableBean, SmartLifecycle {

	/**
	 * The largest value written to Redis unless told otherwise: 512 KB.
	 */
	public static final long DEFAULT_MAX_VALUE_SIZE = 512 * 1024;

	private static final Log logger = LogFactory.getLog(RedisTierSupport.class);

	private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

	private final String keyPrefix;

	private final Duration timeout;

	private final Duration lockTimeout;

	private final long maxValueSize;

	private final CircuitBreaker circuitBreaker;

	private final Mono<ReactiveRedisConnection> connect;

	/**
	 * Where an expired operation is failed, {@code null} to fail it on the timer's own
	 * thread.
	 */
	@Nullable
	private final Executor expiry;

	private volatile ReactiveRedisConnection connection;

	private final Mono<RedisTierCommands> connectCommands;

	private volatile RedisTierCommands commands;

	private final AtomicBoolean closed = new AtomicBoolean();

	private final int phase;

	private volatile boolean running;

	/**
	 * Creates the support for Redis tiers.
	 * @param connectionFactory the application's Redis connection
	 * @param keyPrefix prefix of every key Protevus writes
	 * @param timeout bound of each operation, after which the tier counts as a miss
	 * @param lockTimeout how long a cluster lock is held at most, and how long other
	 * instances wait for the locked value
	 * @param circuitBreaker the breaker that stops calling Redis while it keeps failing
	 */
	public RedisTierSupport(ReactiveRedisConnectionFactory connectionFactory, String keyPrefix, Duration timeout,
			Duration lockTimeout, CircuitBreaker circuitBreaker) {
		this(connectionFactory, keyPrefix, timeout, lockTimeout, DEFAULT_MAX_VALUE_SIZE, circuitBreaker);
	}

	/**
	 * Creates the support for Redis tiers.
	 * @param connectionFactory the application's Redis connection
	 * @param keyPrefix prefix of every key Protevus writes
	 * @param timeout bound of each operation, after which the tier counts as a miss
	 * @param lockTimeout how long a cluster lock is held at most, and how long other
	 * instances wait for the locked value
	 * @param maxValueSize the largest encoded value, in bytes, written to Redis; larger
	 * values stay in the other tiers, so that one huge value cannot hold up the shared
	 * connection for every other read
	 * @param circuitBreaker the breaker that stops calling Redis while it keeps failing
	 */
	public RedisTierSupport(ReactiveRedisConnectionFactory connectionFactory, String keyPrefix, Duration timeout,
			Duration lockTimeout, long maxValueSize, CircuitBreaker circuitBreaker) {
		Assert.isTrue(maxValueSize > 0, () -> "maxValueSize must be positive but was " + maxValueSize);
		this.maxValueSize = maxValueSize;
		Assert.notNull(connectionFactory, "connectionFactory must not be null");
		Assert.isTrue(timeout != null && timeout.compareTo(Duration.ZERO) > 0,
				() -> "timeout must be positive but was " + timeout);
		Assert.isTrue(lockTimeout != null && lockTimeout.compareTo(Duration.ZERO) > 0,
				() -> "lockTimeout must be positive but was " + lockTimeout);
		Assert.notNull(circuitBreaker, "circuitBreaker must not be null");
		this.keyPrefix = (keyPrefix != null) ? keyPrefix : "";
		this.timeout = timeout;
		this.lockTimeout = lockTimeout;
		this.circuitBreaker = circuitBreaker;
		this.phase = (connectionFactory instanceof SmartLifecycle lifecycle) ? lifecycle.getPhase() : 0;
		this.expiry = LettuceExecutors.of(connectionFactory);
		this.connect = Mono.fromCallable(connectionFactory::getReactiveConnection)
			.subscribeOn(Schedulers.boundedElastic())
			.doOnNext((connection) -> this.connection = connection)
			.cache((connection) -> Duration.ofMillis(Long.MAX_VALUE), (ex) -> Duration.ZERO, () -> Duration.ZERO);
		this.connectCommands = Mono.fromCallable(() -> nativeCommands(connectionFactory))
			.subscribeOn(Schedulers.boundedElastic())
			.switchIfEmpty(this.connect.map(SpringDataTierCommands::new))
			.doOnNext((commands) -> this.commands = commands)
			.cache((commands) -> Duration.ofMillis(Long.MAX_VALUE), (ex) -> Duration.ZERO, () -> Duration.ZERO);
		// Connect now, in the background, so that the first requests do not wait for it.
		this.connect.subscribe(null, (ex) -> logger.debug("Redis cache tiers: first connection attempt failed", ex));
		this.connectCommands.subscribe(null,
				(ex) -> logger.debug("Redis cache tiers: first connection attempt failed", ex));
		circuitBreaker.getEventPublisher()
			.onStateTransition((event) -> logger.warn("Redis cache tiers: circuit breaker '" + circuitBreaker.getName()
					+ "' " + event.getStateTransition()
					+ ((event.getStateTransition().getToState() == CircuitBreaker.State.OPEN)
							? "; caches skip Redis until it answers again" : "")));
	}

	public String keyPrefix() {
		return this.keyPrefix;
	}

	public CircuitBreaker circuitBreaker() {
		return this.circuitBreaker;
	}

	Duration timeout() {
		return this.timeout;
	}

	Duration lockTimeout() {
		return this.lockTimeout;
	}

	long maxValueSize() {
		return this.maxValueSize;
	}

	/**
	 * Lettuce's native commands when the factory's connections can be reproduced with
	 * them, else {@code null}.
	 */
	@Nullable
	private static RedisTierCommands nativeCommands(ReactiveRedisConnectionFactory connectionFactory) {
		return LettuceExecutors.PRESENT ? LettuceTierCommands.connect(connectionFactory) : null;
	}

	/**
	 * Runs one of the tier's single-key commands, connecting first (off the caller's
	 * thread) if needed.
	 */
	<T> Mono<T> command(Function<RedisTierCommands, Mono<T>> command) {
		RedisTierCommands connected = this.commands;
		return (connected != null) ? command.apply(connected) : this.connectCommands.flatMap(command);
	}

	/**
	 * The single-key commands, once connected.
	 * @return the commands chosen for the connection factory
	 */
	Mono<RedisTierCommands> commands() {
		return this.connectCommands;
	}

	/**
	 * Runs a command on the shared connection, connecting first (off the caller's thread)
	 * if needed.
	 */
	<T> Mono<T> execute(Function<ReactiveRedisConnection, Mono<T>> command) {
		ReactiveRedisConnection connected = this.connection;
		return (connected != null) ? command.apply(connected) : this.connect.flatMap(command);
	}

	<T> Flux<T> executeMany(Function<ReactiveRedisConnection, Flux<T>> command) {
		ReactiveRedisConnection connected = this.connection;
		return (connected != null) ? command.apply(connected) : this.connect.flatMapMany(command);
	}

	/**
	 * Bounds an operation by the timeout and the circuit breaker, turning any failure
	 * into an empty result that has been counted and logged.
	 */
	<T> Mono<T> guard(Mono<T> operation, Duration bound, String what, TierCounters counters, RateLimitedLog log) {
		return bounded(operation, bound).transformDeferred(CircuitBreakerOperator.of(this.circuitBreaker))
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
	 * bound has passed.
	 */
	<T> Mono<T> bounded(Mono<T> operation, Duration bound) {
		return RemoteTierTimeouts.bounded(operation, bound, this.expiry);
	}

	/**
	 * Whether expired operations are failed on Lettuce's event executors.
	 * @return {@code true} when the connection factory has Lettuce's client resources
	 */
	boolean failsExpiredOnLettuceExecutors() {
		return this.expiry != null;
	}

	Mono<Long> publish(String channel, String message) {
		// On the connection of the writes, after the write that it announces.
		return bounded(command((commands) -> commands.publish(utf8(channel), utf8(message))), this.timeout);
	}

	TierStore createStore(String cacheName, TieredCacheSettings settings, EntryCodec codec, Clock clock) {
		return new RedisTierStore(this, cacheName, settings, codec, clock);
	}

	static byte[] utf8(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	static ByteBuffer bytes(String text) {
		return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
	}

	@Override
	public void start() {
		this.running = true;
	}

	/**
	 * Closes the connection, waiting briefly, while the connection factory still runs.
	 */
	@Override
	public void stop() {
		this.running = false;
		close().block(CLOSE_WAIT);
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/**
	 * The connection factory's phase, so that the context stops this bean, which depends
	 * on the factory, right before it.
	 */
	@Override
	public int getPhase() {
		return this.phase;
	}

	@Override
	public void destroy() {
		close().subscribe();
	}

	/**
	 * Closes the connections once, whether they are closed by a stop or when the bean is
	 * destroyed; a connection still being made when the first of these comes is left to
	 * the factory, whose client closes it when it shuts down.
	 */
	private Mono<Void> close() {
		if (!this.closed.compareAndSet(false, true)) {
			return Mono.empty();
		}
		ReactiveRedisConnection connected = this.connection;
		RedisTierCommands commands = this.commands;
		Mono<Void> closeConnection = (connected != null) ? connected.closeLater().onErrorComplete() : Mono.empty();
		Mono<Void> closeCommands = (commands != null) ? commands.close().onErrorComplete() : Mono.empty();
		return Mono.when(closeCommands, closeConnection);
	}

	/**
	 * Lettuce's event executors, read only when Lettuce is on the class path; whether it
	 * is decides too whether {@link LettuceTierCommands} may be loaded.
	 */
	private static final class LettuceExecutors {

		private static final boolean PRESENT = ClassUtils.isPresent("io.lettuce.core.resource.ClientResources",
				RedisTierSupport.class.getClassLoader());

		@Nullable
		static Executor of(ReactiveRedisConnectionFactory connectionFactory) {
			if (!PRESENT || !(connectionFactory instanceof LettuceConnectionFactory lettuce)) {
				return null;
			}
			ClientResources resources = lettuce.getClientResources();
			return (resources != null) ? resources.eventExecutorGroup() : null;
		}

	}

}
