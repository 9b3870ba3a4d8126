package dev.protevus.boot.cache;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.protevus.boot.task.DeadlineSubscriber;
import io.netty.util.HashedWheelTimer;
import io.netty.util.Timeout;
import io.netty.util.TimerTask;
import io.netty.util.concurrent.DefaultThreadFactory;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoOperator;
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

	private static final HashedWheelTimer TIMER = new HashedWheelTimer(new DefaultThreadFactory(THREAD_NAME, true), 10,
			TimeUnit.MILLISECONDS);

	private RemoteTierTimeouts() {
	}

	/**
	 * Fails an operation with a {@link TimeoutException} once the bound has passed.
	 * @param <T> the operation's value
	 * @param operation the operation
	 * @param bound how long it may take
	 * @param expiry where to fail it, {@code null} for Reactor's parallel scheduler
	 * @return the bounded operation
	 */
	static <T> Mono<T> bounded(Mono<T> operation, Duration bound, @Nullable Executor expiry) {
		return new Bounded<>(operation, bound.toNanos(), expiry);
	}

	/**
	 * What {@code operation.timeout(deadline)} does, in one subscriber that is also the
	 * timer's task: Reactor's timeout operator costs a remote hit a main, a timeout and a
	 * sink subscriber, a deadline publisher and, to name the operation in its message, a
	 * walk of the whole chain at each subscription.
	 */
	private static final class Bounded<T> extends MonoOperator<T, T> {

		private final long nanos;

		@Nullable
		private final Executor expiry;

		Bounded(Mono<T> operation, long nanos, @Nullable Executor expiry) {
			super(operation);
			this.nanos = nanos;
			this.expiry = expiry;
		}

		@Override
		public void subscribe(CoreSubscriber<? super T> actual) {
			BoundedSubscriber<T> bound = new BoundedSubscriber<>(actual, this.nanos, this.expiry);
			this.source.subscribe(bound);
			bound.start();
		}

	}

	private static final class BoundedSubscriber<T> extends DeadlineSubscriber<T> implements TimerTask {

		private final long nanos;

		@Nullable
		private final Executor expiry;

		@Nullable
		private volatile Timeout timeout;

		BoundedSubscriber(CoreSubscriber<? super T> actual, long nanos, @Nullable Executor expiry) {
			super(actual);
			this.nanos = nanos;
			this.expiry = expiry;
		}

		/**
		 * Starts the clock once subscribed, unless the operation already ended.
		 */
		void start() {
			if (!isRunning()) {
				return;
			}
			Timeout started = TIMER.newTimeout(this, this.nanos, TimeUnit.NANOSECONDS);
			this.timeout = started;
			if (!isRunning()) {
				// Ended while the timeout was being set.
				started.cancel();
			}
		}

		@Override
		protected void cancelDeadline() {
			Timeout started = this.timeout;
			if (started != null) {
				started.cancel();
			}
		}

		@Override
		public void run(Timeout expired) {
			expire();
		}

		/**
		 * Fails the operation off the timer's thread, which must not run the caller's
		 * code.
		 */
		@Override
		protected void onDeadline() {
			Runnable fail = () -> this.actual.onError(new TimeoutException(
					"No answer from the remote cache tier within " + Duration.ofNanos(this.nanos).toMillis() + "ms"));
			if (this.expiry != null) {
				try {
					this.expiry.execute(fail);
					return;
				}
				catch (RejectedExecutionException ex) {
					// Lettuce's executors shut down (client resources closed before the
					// cache): the operation must still end, so it ends on Reactor's.
				}
			}
			Schedulers.parallel().schedule(fail);
		}

	}

}
