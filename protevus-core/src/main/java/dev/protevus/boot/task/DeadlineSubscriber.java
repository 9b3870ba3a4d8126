package dev.protevus.boot.task;

import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;

/**
 * What {@code mono.timeout(deadline)} does, in one subscriber that is also the deadline's
 * task: Reactor's timeout operator costs every operation a main, a timeout and an other
 * subscriber and a subscription to the deadline, which on a hot path (a request, a cache
 * hit) is a share of its cost. A subclass starts its clock once subscribed, while
 * {@link #isRunning()}, and when it goes off calls {@link #expire()}, which cancels the
 * operation and hands over to {@link #onDeadline()}.
 * <p>
 * The operation ends once: with its value (passed on with completion), its completion,
 * its error, a cancellation, or the deadline, whichever comes first.
 *
 * @param <T> the operation's value
 * @since 0.1.0
 */
public abstract class DeadlineSubscriber<T> implements CoreSubscriber<T>, Subscription {

	private static final int RUNNING = 0;

	private static final int DONE = 1;

	private static final int EXPIRED = 2;

	private static final int CANCELLED_AFTER_DEADLINE = 3;

	@SuppressWarnings("rawtypes")
	private static final AtomicIntegerFieldUpdater<DeadlineSubscriber> STATE = AtomicIntegerFieldUpdater
		.newUpdater(DeadlineSubscriber.class, "state");

	/**
	 * Who gets the operation's outcome.
	 */
	protected final CoreSubscriber<? super T> actual;

	private Subscription upstream;

	private volatile int state;

	protected DeadlineSubscriber(CoreSubscriber<? super T> actual) {
		this.actual = actual;
	}

	/**
	 * Whether the operation still runs: a subclass starts its clock only then, and
	 * cancels it again if this turns false while it was starting it.
	 * @return whether the operation has neither ended nor expired
	 */
	protected final boolean isRunning() {
		return this.state == RUNNING;
	}

	/**
	 * Whether the subscriber was cancelled after the deadline went off, so that what
	 * {@link #onDeadline()} started should stop.
	 * @return whether cancelled after the deadline
	 */
	protected final boolean isCancelledAfterDeadline() {
		return this.state == CANCELLED_AFTER_DEADLINE;
	}

	/**
	 * Stops the clock: the operation ended before its deadline.
	 */
	protected abstract void cancelDeadline();

	/**
	 * Answers for the operation once its deadline went off and it was cancelled; called
	 * once, on the deadline's thread.
	 */
	protected abstract void onDeadline();

	/**
	 * Called when the subscriber is cancelled after {@link #onDeadline()}; stops what it
	 * started. Does nothing unless overridden.
	 */
	protected void onCancelAfterDeadline() {
	}

	/**
	 * The deadline: cancels the operation and calls {@link #onDeadline()}, unless the
	 * operation ended first.
	 */
	protected final void expire() {
		if (!STATE.compareAndSet(this, RUNNING, EXPIRED)) {
			return;
		}
		this.upstream.cancel();
		onDeadline();
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
		else if (STATE.compareAndSet(this, EXPIRED, CANCELLED_AFTER_DEADLINE)) {
			onCancelAfterDeadline();
		}
	}

	private boolean end() {
		if (!STATE.compareAndSet(this, RUNNING, DONE)) {
			return false;
		}
		cancelDeadline();
		return true;
	}

}
