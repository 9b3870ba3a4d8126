package dev.protevus.boot.web;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import dev.protevus.boot.task.DeadlineSubscriber;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoOperator;
import reactor.netty.Connection;
import reactor.util.context.Context;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.util.ClassUtils;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Bounds the whole request, from this filter until the response is written: past
 * {@code protevus.web.request-timeout} the handler's work is cancelled and the client
 * gets 504 problem+json, or, if part of the response has gone out already, the connection
 * is closed.
 * <p>
 * On Reactor Netty the deadline is a task on the request's own event loop, which costs no
 * lock and no other thread while the request completes in time; elsewhere it is Reactor's
 * parallel scheduler. WebSocket upgrades and event streams live as long as they need and
 * are not bound.
 *
 * @since 0.1.0
 */
public class RequestTimeoutWebFilter implements WebFilter, Ordered {

	private static final boolean REACTOR_NETTY = ClassUtils.isPresent("reactor.netty.Connection",
			RequestTimeoutWebFilter.class.getClassLoader());

	private final Duration timeout;

	private final ProblemResponseWriter problems;

	private final String detail;

	/**
	 * Creates the filter.
	 * @param timeout the longest time a request may take
	 * @param problems writes the 504 answers
	 */
	public RequestTimeoutWebFilter(Duration timeout, ProblemResponseWriter problems) {
		this.timeout = timeout;
		this.problems = problems;
		this.detail = "The request took longer than " + Problems.format(timeout) + ".";
	}

	@Override
	public int getOrder() {
		return WebFilterOrder.REQUEST_TIMEOUT;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		ServerHttpRequest request = exchange.getRequest();
		if (isLongLived(request.getHeaders())) {
			return chain.filter(exchange);
		}
		NettyDeadline onEventLoop = REACTOR_NETTY ? NettyDeadline.of(request, this.timeout) : null;
		if (onEventLoop != null) {
			return onEventLoop.bound(chain.filter(exchange), () -> timedOut(exchange));
		}
		return chain.filter(exchange).timeout(Mono.delay(this.timeout), Mono.defer(() -> timedOut(exchange)));
	}

	private Mono<Void> timedOut(ServerWebExchange exchange) {
		if (exchange.getResponse().isCommitted()) {
			return Mono.error(new TimeoutException("Response not complete after " + Problems.format(this.timeout)));
		}
		return this.problems.write(exchange, ProblemDetail.forStatusAndDetail(HttpStatus.GATEWAY_TIMEOUT, this.detail));
	}

	private static boolean isLongLived(HttpHeaders headers) {
		// getFirst, not containsKey, which Spring Framework 7's HttpHeaders no longer
		// has.
		if (headers.getFirst(HttpHeaders.UPGRADE) != null) {
			return true;
		}
		String accept = headers.getFirst(HttpHeaders.ACCEPT);
		return accept != null && (accept.contains("text/event-stream") || accept.contains("application/x-ndjson"));
	}

	/**
	 * The deadline of a request served by Reactor Netty: a task on the request's own
	 * event loop, scheduled only if the request is still running once its work has been
	 * subscribed to, so that a request that completes at once schedules nothing.
	 */
	static final class NettyDeadline {

		private final EventLoop eventLoop;

		private final long nanos;

		private NettyDeadline(EventLoop eventLoop, long nanos) {
			this.eventLoop = eventLoop;
			this.nanos = nanos;
		}

		/**
		 * The deadline on the request's event loop, or {@code null} if the request is not
		 * served by Reactor Netty.
		 */
		static NettyDeadline of(ServerHttpRequest request, Duration timeout) {
			Object nativeRequest;
			try {
				nativeRequest = ServerHttpRequestDecorator.getNativeRequest(request);
			}
			catch (IllegalStateException ex) {
				// A mock request in a test, without a server.
				return null;
			}
			if (nativeRequest instanceof Connection connection) {
				return new NettyDeadline(connection.channel().eventLoop(), timeout.toNanos());
			}
			return null;
		}

		/**
		 * The work, cancelled and replaced by the fallback when the time is up.
		 */
		Mono<Void> bound(Mono<Void> work, Supplier<Mono<Void>> fallback) {
			return new Bounded(work, fallback, this.eventLoop, this.nanos);
		}

	}

	/**
	 * What {@code work.timeout(deadline, fallback)} does, in one subscriber that is also
	 * the deadline's task: Reactor's timeout operator costs several objects and a
	 * subscription to the deadline for every request.
	 */
	private static final class Bounded extends MonoOperator<Void, Void> {

		private final Supplier<Mono<Void>> fallback;

		private final EventLoop eventLoop;

		private final long nanos;

		Bounded(Mono<Void> work, Supplier<Mono<Void>> fallback, EventLoop eventLoop, long nanos) {
			super(work);
			this.fallback = fallback;
			this.eventLoop = eventLoop;
			this.nanos = nanos;
		}

		@Override
		public void subscribe(CoreSubscriber<? super Void> actual) {
			long deadline = System.nanoTime() + this.nanos;
			BoundedSubscriber bound = new BoundedSubscriber(actual, this.fallback);
			this.source.subscribe(bound);
			bound.schedule(this.eventLoop, deadline);
		}

	}

	private static final class BoundedSubscriber extends DeadlineSubscriber<Void> implements Runnable {

		private final Supplier<Mono<Void>> fallback;

		private volatile ScheduledFuture<?> task;

		private volatile Subscription fallbackSubscription;

		BoundedSubscriber(CoreSubscriber<? super Void> actual, Supplier<Mono<Void>> fallback) {
			super(actual);
			this.fallback = fallback;
		}

		void schedule(EventLoop eventLoop, long deadline) {
			if (!isRunning()) {
				return;
			}
			this.task = eventLoop.schedule(this, deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
			if (!isRunning()) {
				// Completed while the task was being scheduled.
				this.task.cancel(false);
			}
		}

		@Override
		protected void cancelDeadline() {
			ScheduledFuture<?> scheduled = this.task;
			if (scheduled != null) {
				scheduled.cancel(false);
			}
		}

		@Override
		public void run() {
			expire();
		}

		/**
		 * The deadline: answers with the fallback.
		 */
		@Override
		protected void onDeadline() {
			Mono<Void> answer;
			try {
				answer = this.fallback.get();
			}
			catch (Throwable ex) {
				this.actual.onError(ex);
				return;
			}
			answer.subscribe(new FallbackSubscriber());
		}

		@Override
		protected void onCancelAfterDeadline() {
			Subscription subscription = this.fallbackSubscription;
			if (subscription != null) {
				subscription.cancel();
			}
		}

		/**
		 * Passes the fallback's outcome on.
		 */
		private final class FallbackSubscriber implements CoreSubscriber<Void> {

			@Override
			public Context currentContext() {
				return BoundedSubscriber.this.actual.currentContext();
			}

			@Override
			public void onSubscribe(Subscription subscription) {
				BoundedSubscriber.this.fallbackSubscription = subscription;
				if (isCancelledAfterDeadline()) {
					subscription.cancel();
				}
				else {
					subscription.request(Long.MAX_VALUE);
				}
			}

			@Override
			public void onNext(Void value) {
				// A Mono<Void> has no values.
			}

			@Override
			public void onError(Throwable error) {
				BoundedSubscriber.this.actual.onError(error);
			}

			@Override
			public void onComplete() {
				BoundedSubscriber.this.actual.onComplete();
			}

		}

	}

}
