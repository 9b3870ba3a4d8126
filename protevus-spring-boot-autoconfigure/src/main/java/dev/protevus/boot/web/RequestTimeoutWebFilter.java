package dev.protevus.boot.web;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;

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
		return chain.filter(exchange).timeout(deadline(request), Mono.defer(() -> timedOut(exchange)));
	}

	private Mono<Long> deadline(ServerHttpRequest request) {
		Mono<Long> onEventLoop = REACTOR_NETTY ? NettyDeadline.of(request, this.timeout) : null;
		return (onEventLoop != null) ? onEventLoop : Mono.delay(this.timeout);
	}

	private Mono<Void> timedOut(ServerWebExchange exchange) {
		if (exchange.getResponse().isCommitted()) {
			return Mono.error(new TimeoutException("Response not complete after " + Problems.format(this.timeout)));
		}
		return this.problems.write(exchange, ProblemDetail.forStatusAndDetail(HttpStatus.GATEWAY_TIMEOUT, this.detail));
	}

	private static boolean isLongLived(HttpHeaders headers) {
		if (headers.containsKey(HttpHeaders.UPGRADE)) {
			return true;
		}
		String accept = headers.getFirst(HttpHeaders.ACCEPT);
		return accept != null && (accept.contains("text/event-stream") || accept.contains("application/x-ndjson"));
	}

	/**
	 * Emits once when the time is up, from a task on the request's Netty event loop.
	 */
	static final class NettyDeadline extends Mono<Long> implements Subscription, Runnable {

		private static final AtomicIntegerFieldUpdater<NettyDeadline> DONE = AtomicIntegerFieldUpdater
			.newUpdater(NettyDeadline.class, "done");

		private final EventLoop eventLoop;

		private final long nanos;

		private CoreSubscriber<? super Long> actual;

		private volatile ScheduledFuture<?> task;

		private volatile int done;

		private NettyDeadline(EventLoop eventLoop, long nanos) {
			this.eventLoop = eventLoop;
			this.nanos = nanos;
		}

		/**
		 * The deadline on the request's event loop, or {@code null} if the request is not
		 * served by Reactor Netty.
		 */
		static Mono<Long> of(ServerHttpRequest request, Duration timeout) {
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

		@Override
		public void subscribe(CoreSubscriber<? super Long> actual) {
			this.actual = actual;
			actual.onSubscribe(this);
			this.task = this.eventLoop.schedule(this, this.nanos, TimeUnit.NANOSECONDS);
			if (this.done == 1) {
				// Cancelled while the task was being scheduled.
				this.task.cancel(false);
			}
		}

		@Override
		public void run() {
			if (DONE.compareAndSet(this, 0, 1)) {
				this.actual.onNext(0L);
				this.actual.onComplete();
			}
		}

		@Override
		public void request(long n) {
			// The timeout operator asks for the one signal when it subscribes.
		}

		@Override
		public void cancel() {
			if (DONE.compareAndSet(this, 0, 1)) {
				ScheduledFuture<?> scheduled = this.task;
				if (scheduled != null) {
					scheduled.cancel(false);
				}
			}
		}

	}

}
