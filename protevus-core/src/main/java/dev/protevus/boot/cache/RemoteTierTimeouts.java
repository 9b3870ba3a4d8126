package dev.protevus.boot.cache;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

import io.netty.util.HashedWheelTimer;
import io.netty.util.Timeout;
import io.netty.util.TimerTask;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoOperator;
import reactor.core.publisher.Operators;
import reactor.core.scheduler.Schedulers;
import reactor.util.context.Context;

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

	private static final class BoundedSubscriber<T> implements CoreSubscriber<T>, Subscription, TimerTask {

		private static final int RUNNING = 0;

		private static final int DONE = 1;

		private static final int EXPIRED = 2;

		@SuppressWarnings("rawtypes")
		private static final AtomicIntegerFieldUpdater<BoundedSubscriber> STATE = AtomicIntegerFieldUpdater
			.newUpdater(BoundedSubscriber.class, "state");

		private final CoreSubscriber<? super T> actual;

		private final long nanos;

		@Nullable
		private final Executor expiry;

		private Subscription upstream;

		private volatile int state;

		@Nullable
		private volatile Timeout timeout;

		BoundedSubscriber(CoreSubscriber<? super T> actual, long nanos, @Nullable Executor expiry) {
			this.actual = actual;
			this.nanos = nanos;
			this.expiry = expiry;
		}

		/**
		 * Starts the clock once subscribed, unless the operation already ended.
		 */
		void start() {
			if (this.state != RUNNING) {
				return;
			}
			Timeout started = TIMER.newTimeout(this, this.nanos, TimeUnit.NANOSECONDS);
			this.timeout = started;
			if (this.state != RUNNING) {
				// Ended while the timeout was being set.
				started.cancel();
			}
		}

		@Override
		public Context currentContext() {
			return this.actual.currentContext();
		}

		@Override
		public void onSubscribe(Subscription subscription) {
			this.upstream = subscription;
			this.actual.onSubscribe(this);
		}

		@Override
		public void onNext(T value) {
			if (end()) {
				this.actual.onNext(value);
				this.actual.onComplete();
			}
			else {
				Operators.onNextDropped(value, this.actual.currentContext());
			}
		}

		@Override
		public void onError(Throwable error) {
			if (end()) {
				this.actual.onError(error);
			}
			else {
				Operators.onErrorDropped(error, this.actual.currentContext());
			}
		}

		@Override
		public void onComplete() {
			if (end()) {
				this.actual.onComplete();
			}
		}

		@Override
		public void request(long n) {
			this.upstream.request(n);
		}

		@Override
		public void cancel() {
			if (end()) {
				this.upstream.cancel();
			}
		}

		private boolean end() {
			if (!STATE.compareAndSet(this, RUNNING, DONE)) {
				return false;
			}
			Timeout started = this.timeout;
			if (started != null) {
				started.cancel();
			}
			return true;
		}

		/**
		 * The bound has passed: cancels the operation and fails it, off the timer's
		 * thread.
		 */
		@Override
		public void run(Timeout expired) {
			if (!STATE.compareAndSet(this, RUNNING, EXPIRED)) {
				return;
			}
			this.upstream.cancel();
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
