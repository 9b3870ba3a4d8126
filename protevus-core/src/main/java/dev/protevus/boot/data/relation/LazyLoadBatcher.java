package dev.protevus.boot.data.relation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.internal.ThreadExecutorMap;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import dev.protevus.boot.data.relation.RelationFetcher.Keyed;

import org.springframework.lang.Nullable;
import org.springframework.util.ClassUtils;

/**
 * Coalesces the lazy loads of one relation, DataLoader-style: a batch is sent once no
 * further load was requested for a window's length after the latest one, or a window of
 * {@value #MAX_WAIT_WINDOWS} windows after the first, or as soon as it reaches its
 * maximum size, so that no more requests than that ever wait. Measuring the window from
 * the latest load rather than the first keeps loads subscribed one after another in one
 * batch however slowly a cold JVM subscribes them, as long as no gap between two exceeds
 * the window. The timers run on the Netty event loop that requested the first load of a
 * batch, so that they cannot end a window while that loop still subscribes the loads of
 * one read, or else on {@link Schedulers#parallel()}; nothing waits by blocking.
 * <p>
 * Requests, full batches and expired windows meet in one drain loop that a single thread
 * runs at a time, which keeps the batch free of locks and of races between a request and
 * its window. The shared statement belongs to no single subscriber: cancelling one load
 * leaves the others theirs, and the statement runs outside the subscribers' transactions.
 */
final class LazyLoadBatcher {

	/**
	 * How many windows after the first load of a batch it is sent at the latest, while
	 * further loads keep arriving.
	 */
	static final int MAX_WAIT_WINDOWS = 10;

	private static final boolean NETTY_PRESENT = ClassUtils.isPresent("io.netty.util.internal.ThreadExecutorMap",
			LazyLoadBatcher.class.getClassLoader());

	private final ResolvedRelation relation;

	private final RelationFetcher fetcher;

	private final long windowNanos;

	private final int maxBatchSize;

	private final Scheduler scheduler = Schedulers.parallel();

	private final Queue<Request> requests = new ConcurrentLinkedQueue<>();

	private final AtomicInteger drains = new AtomicInteger();

	/**
	 * The latest timer that has fired; only ever grows, so a late timer of a batch that
	 * was sent full cannot hide a newer one.
	 */
	private final AtomicLong firedTimer = new AtomicLong(-1);

	// Owned by the thread that runs the drain loop.

	private List<Request> pending = new ArrayList<>();

	private long timer = -1;

	private long firstRequest;

	private long latestRequest;

	private Disposable window = Disposables.disposed();

	LazyLoadBatcher(ResolvedRelation relation, RelationFetcher fetcher, Duration window, int maxBatchSize) {
		this.relation = relation;
		this.fetcher = fetcher;
		this.windowNanos = window.toNanos();
		this.maxBatchSize = maxBatchSize;
	}

	/**
	 * Loads the related entities of one key, in a batch with the loads requested around
	 * it.
	 * @param key the parent's key, of the relation's key type
	 * @return the related entities, empty when there are none; nothing is requested
	 * before subscription
	 */
	Mono<List<Object>> load(Object key) {
		return Mono.create((sink) -> {
			Request request = new Request(key, sink);
			sink.onCancel(request::cancel);
			this.requests.offer(request);
			drain();
		});
	}

	private void drain() {
		if (this.drains.getAndIncrement() != 0) {
			return;
		}
		int missed = 1;
		do {
			Request request;
			while ((request = this.requests.poll()) != null) {
				this.pending.add(request);
				this.latestRequest = System.nanoTime();
				if (this.pending.size() == 1) {
					this.firstRequest = this.latestRequest;
					startTimer(this.windowNanos);
				}
				if (this.pending.size() >= this.maxBatchSize) {
					send();
				}
			}
			if (!this.pending.isEmpty() && this.firedTimer.get() >= this.timer) {
				long due = Math.min(this.latestRequest + this.windowNanos,
						this.firstRequest + this.windowNanos * MAX_WAIT_WINDOWS);
				long wait = due - System.nanoTime();
				if (wait > 0) {
					startTimer(wait);
				}
				else {
					send();
				}
			}
			missed = this.drains.addAndGet(-missed);
		}
		while (missed != 0);
	}

	private void startTimer(long delayNanos) {
		long started = ++this.timer;
		try {
			this.window = schedule(() -> {
				this.firedTimer.accumulateAndGet(started, Math::max);
				drain();
			}, delayNanos);
		}
		catch (RejectedExecutionException ex) {
			// No timer to wait for: send the batch at the end of this drain.
			this.firstRequest = this.latestRequest - this.windowNanos * MAX_WAIT_WINDOWS;
			this.firedTimer.accumulateAndGet(started, Math::max);
		}
	}

	/**
	 * Schedules a timer on the Netty event loop that requests the load, if it is one, so
	 * that the timer cannot fire while that loop is still subscribing the loads of one
	 * burst (the rows of one read), however long the operating system keeps it from
	 * running; elsewhere on Reactor's parallel scheduler.
	 */
	private Disposable schedule(Runnable task, long delayNanos) {
		if (NETTY_PRESENT) {
			Disposable timer = EventLoopTimers.scheduleOnCurrentLoop(task, delayNanos);
			if (timer != null) {
				return timer;
			}
		}
		return this.scheduler.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
	}

	private void send() {
		this.window.dispose();
		// A timer of this batch that fires late must not count for the next one.
		this.timer++;
		List<Request> sent = this.pending;
		this.pending = new ArrayList<>();
		try {
			execute(sent).subscribe();
		}
		catch (RuntimeException ex) {
			sent.forEach((request) -> request.sink.error(ex));
		}
	}

	private Mono<Void> execute(List<Request> batch) {
		List<Request> waiting = batch.stream().filter((request) -> !request.cancelled).toList();
		if (waiting.isEmpty()) {
			return Mono.empty();
		}
		Set<Object> keys = waiting.stream().map(Request::key).collect(Collectors.toCollection(LinkedHashSet::new));
		return Mono
			.defer(() -> this.fetcher.fetch(this.relation, keys)
				.collect(Collectors.groupingBy(Keyed::key,
						Collectors.mapping(Keyed::entity, Collectors.toUnmodifiableList()))))
			.doOnNext((byKey) -> waiting.forEach((request) -> request.complete(byKey)))
			.doOnError((ex) -> waiting.forEach((request) -> request.sink.error(ex)))
			.onErrorResume((ex) -> Mono.empty())
			.then();
	}

	/**
	 * Timers on the current Netty event loop; a class of its own so that Netty stays
	 * optional.
	 */
	private static final class EventLoopTimers {

		@Nullable
		static Disposable scheduleOnCurrentLoop(Runnable task, long delayNanos) {
			EventExecutor loop = ThreadExecutorMap.currentExecutor();
			if (loop == null || loop.isShuttingDown()) {
				return null;
			}
			Future<?> timer = loop.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
			return () -> timer.cancel(false);
		}

	}

	/**
	 * One subscriber's load, waiting for its batch.
	 */
	private static final class Request {

		private final Object key;

		private final MonoSink<List<Object>> sink;

		private volatile boolean cancelled;

		Request(Object key, MonoSink<List<Object>> sink) {
			this.key = key;
			this.sink = sink;
		}

		Object key() {
			return this.key;
		}

		void cancel() {
			this.cancelled = true;
		}

		void complete(Map<Object, List<Object>> byKey) {
			this.sink.success(byKey.getOrDefault(this.key, List.of()));
		}

	}

}
