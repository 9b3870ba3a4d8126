package dev.protevus.boot.cache;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.event.connection.ConnectionActivatedEvent;
import io.lettuce.core.event.connection.ConnectionDeactivatedEvent;
import io.lettuce.core.resource.ClientResources;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;

import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.ReactiveRedisMessageListenerContainer;
import org.springframework.lang.Nullable;
import org.springframework.util.ClassUtils;

/**
 * Cache invalidation over Redis pub/sub. Messages carry the sender's identity, to ignore
 * our own, and the key prefix, so that applications with different prefixes on one Redis
 * do not invalidate each other. Messages sent while an instance is cut off from Redis are
 * lost, so once it is connected again (Lettuce reconnects and subscribes the channel
 * again on its own; a failed subscription is retried here) the listener hears that
 * changes may have been missed.
 * <p>
 * As a {@link SmartLifecycle} bean in the connection factory's phase, it ends its
 * subscriptions when the context stops, before the factory, which depends on nothing of
 * it: Spring Data Redis's factories close every connection when they stop, and a
 * subscription ended after that would close its connection a second time, which Lettuce
 * logs as a warning. Subscriptions ended by a stop are not renewed by a later start.
 *
 * @since 0.1.0
 */
public final class RedisCacheInvalidation implements CacheInvalidation, SmartLifecycle {

	private static final Log logger = LogFactory.getLog(RedisCacheInvalidation.class);

	private static final Duration READY_WAIT = Duration.ofSeconds(2);

	private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

	private final ObjectMapper json = new ObjectMapper();

	private final String origin = UUID.randomUUID().toString();

	private final RedisTierSupport redis;

	private final ReactiveRedisConnectionFactory connectionFactory;

	private final String channel;

	private final RateLimitedLog log;

	private final Set<Subscription> subscriptions = ConcurrentHashMap.newKeySet();

	private volatile boolean running;

	/**
	 * Creates invalidation over a channel.
	 * @param redis the Redis tiers' shared support, whose prefix scopes the messages
	 * @param connectionFactory the connection to subscribe with
	 * @param channel the pub/sub channel, shared by every instance
	 */
	public RedisCacheInvalidation(RedisTierSupport redis, ReactiveRedisConnectionFactory connectionFactory,
			String channel) {
		this.redis = redis;
		this.connectionFactory = connectionFactory;
		this.channel = channel;
		this.log = new RateLimitedLog("Cache invalidation on channel '" + channel + "':");
	}

	@Override
	public void publish(String cacheName, @Nullable String key) {
		String message;
		try {
			message = this.json.writeValueAsString(new Message(this.origin, this.redis.keyPrefix(), cacheName, key));
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException(ex);
		}
		this.redis.publish(this.channel, message).subscribe(null, (ex) -> this.log.warn("publish", ex));
	}

	/**
	 * Subscribes, waiting briefly until Redis confirms so that changes made right after
	 * start-up are not missed; keeps retrying in the background while Redis is
	 * unreachable. The listener container connects synchronously, so it is created on a
	 * bounded-elastic thread.
	 */
	@Override
	public Disposable subscribe(Listener listener) {
		AtomicReference<ReactiveRedisMessageListenerContainer> container = new AtomicReference<>();
		Sinks.Empty<Void> ready = Sinks.empty();
		AtomicBoolean subscribedBefore = new AtomicBoolean();
		Disposable subscription = Mono.fromCallable(() -> {
			ReactiveRedisMessageListenerContainer next = new ReactiveRedisMessageListenerContainer(
					this.connectionFactory);
			replace(container, next).subscribe();
			return next;
		})
			.subscribeOn(Schedulers.boundedElastic())
			.flatMap((listening) -> listening.receiveLater(ChannelTopic.of(this.channel)))
			.doOnNext((messages) -> {
				ready.tryEmitEmpty();
				if (subscribedBefore.getAndSet(true)) {
					listener.missedChanges();
				}
			})
			.flatMapMany((messages) -> messages)
			.retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(100))
				.maxBackoff(Duration.ofSeconds(5))
				.doBeforeRetry((signal) -> this.log.warn("subscribe", signal.failure())))
			.subscribe((message) -> receive(message.getMessage(), listener));
		try {
			ready.asMono().block(READY_WAIT);
		}
		catch (IllegalStateException ex) {
			logger.warn("Cache invalidation on channel '" + this.channel + "' is not subscribed yet; it keeps trying");
		}
		Disposable reconnects = LettuceReconnects.watch(this.connectionFactory, listener::missedChanges);
		Subscription handle = new Subscription(subscription, container);
		this.subscriptions.add(handle);
		return () -> {
			reconnects.dispose();
			this.subscriptions.remove(handle);
			handle.close().subscribe();
		};
	}

	@Override
	public void start() {
		this.running = true;
	}

	/**
	 * Ends every subscription and closes its connection while the connection factory
	 * still runs.
	 */
	@Override
	public void stop() {
		this.running = false;
		List<Mono<Void>> closing = this.subscriptions.stream().map(Subscription::close).toList();
		this.subscriptions.clear();
		Mono.when(closing).block(CLOSE_WAIT);
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
		return (this.connectionFactory instanceof SmartLifecycle factory) ? factory.getPhase() : 0;
	}

	/**
	 * Puts a container in place of the previous one.
	 * @return the destruction of the previous one, which closes its connection
	 */
	private static Mono<Void> replace(AtomicReference<ReactiveRedisMessageListenerContainer> holder,
			@Nullable ReactiveRedisMessageListenerContainer next) {
		ReactiveRedisMessageListenerContainer previous = holder.getAndSet(next);
		return (previous != null) ? previous.destroyLater().onErrorComplete() : Mono.empty();
	}

	private void receive(String payload, Listener listener) {
		try {
			Message message = this.json.readValue(payload, Message.class);
			if (!this.origin.equals(message.origin()) && this.redis.keyPrefix().equals(message.prefix())) {
				listener.invalidate(message.cache(), message.key());
			}
		}
		catch (JsonProcessingException | RuntimeException ex) {
			this.log.warn("receive", ex);
		}
	}

	record Message(String origin, String prefix, String cache, String key) {
	}

	/**
	 * One subscription and the container it listens through, ended once.
	 */
	private static final class Subscription {

		private final Disposable messages;

		private final AtomicReference<ReactiveRedisMessageListenerContainer> container;

		private final AtomicBoolean closed = new AtomicBoolean();

		Subscription(Disposable messages, AtomicReference<ReactiveRedisMessageListenerContainer> container) {
			this.messages = messages;
			this.container = container;
		}

		Mono<Void> close() {
			if (!this.closed.compareAndSet(false, true)) {
				return Mono.empty();
			}
			this.messages.dispose();
			return replace(this.container, null);
		}

	}

	/**
	 * Lettuce's connection events, read only when Lettuce is on the class path: a
	 * connection that is active again after one went down means Redis was out of reach
	 * (or, with Sentinel or a cluster, a node went away and another took over), and
	 * messages may have been missed meanwhile.
	 */
	private static final class LettuceReconnects {

		private static final boolean PRESENT = ClassUtils.isPresent("io.lettuce.core.event.EventBus",
				RedisCacheInvalidation.class.getClassLoader());

		static Disposable watch(ReactiveRedisConnectionFactory connectionFactory, Runnable reconnected) {
			if (!PRESENT || !(connectionFactory instanceof LettuceConnectionFactory lettuce)) {
				return Disposables.disposed();
			}
			ClientResources resources = lettuce.getClientResources();
			if (resources == null && lettuce.getNativeClient() != null) {
				resources = lettuce.getNativeClient().getResources();
			}
			if (resources == null) {
				return Disposables.disposed();
			}
			// Each connection that went down counts once when one comes back: the
			// command and pub/sub connections reconnect one after the other, and until
			// the last one is back a change can still be missed or an old value read.
			AtomicInteger lost = new AtomicInteger();
			return resources.eventBus().get().subscribe((event) -> {
				if (event instanceof ConnectionDeactivatedEvent) {
					lost.incrementAndGet();
				}
				else if (event instanceof ConnectionActivatedEvent
						&& lost.getAndUpdate((count) -> Math.max(0, count - 1)) > 0) {
					// Events arrive on Lettuce's event executors, which must not wait on
					// the memory tier's locks that dropping every entry takes.
					Schedulers.boundedElastic().schedule(reconnected);
				}
			}, (ex) -> logger.warn("Cache invalidation stopped watching Redis reconnections", ex));
		}

	}

}
