package dev.protevus.boot.cache;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import io.netty.util.HashedWheelTimer;
import io.netty.util.Timeout;
import io.netty.util.concurrent.DefaultThreadFactory;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.scheduler.Schedulers;

import org.springframework.lang.Nullable;

/**
 * Bounds the operations of the remote tiers (Redis, memcached) with one hashed wheel
 * timer for the JVM, as Netty advises: a daemon thread, {@code protevus-cache-timeout},
 * created on first use. It ticks every 10 ms, so a timeout fires at most that late
 * (Lettuce's own timer ticks every 100 ms); and unlike a scheduled executor it wakes no
 * thread per operation, which on a few cores costs a remote hit a fifth of its speed. An
 * expired operation is failed on the executor given, or on Reactor's parallel scheduler,
 * never on the timer's thread, which must not run the caller's code.
 */
final class RemoteTierTimeouts {

	static final String THREAD_NAME = "protevus-cache-timeout";

	private static final String OPERATION_NAME = "protevus remote cache tier";

	private static final HashedWheelTimer TIMER = new HashedWheelTimer(new DefaultThreadFactory(THREAD_NAME, true), 10,
			TimeUnit.MILLISECONDS);

	private RemoteTierTimeouts() {
	}

	/**
	 * Fails an operation with a {@link java.util.concurrent.TimeoutException} once the
	 * bound has passed.
	 * @param <T> the operation's value
	 * @param operation the operation
	 * @param bound how long it may take
	 * @param expiry where to fail it, {@code null} for Reactor's parallel scheduler
	 * @return the bounded operation
	 */
	static <T> Mono<T> bounded(Mono<T> operation, Duration bound, @Nullable Executor expiry) {
		// Named, so that Reactor's timeout finds its description's name on the operator
		// before it rather than by walking the whole chain at each subscription, which
		// cost a Redis hit a third of its CPU time.
		return operation.name(OPERATION_NAME).timeout(Mono.<Long>create((sink) -> {
			Timeout timeout = TIMER.newTimeout((expired) -> expire(sink, expiry), bound.toNanos(),
					TimeUnit.NANOSECONDS);
			sink.onCancel(timeout::cancel);
		}));
	}

	private static void expire(MonoSink<Long> sink, @Nullable Executor expiry) {
		if (expiry != null) {
			try {
				expiry.execute(() -> sink.success(0L));
				return;
			}
			catch (RejectedExecutionException ex) {
				// Lettuce's executors shut down (client resources closed before the
				// cache): the operation must still end, so it ends on Reactor's.
			}
		}
		Schedulers.parallel().schedule(() -> sink.success(0L));
	}

}
