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

import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import dev.protevus.boot.data.relation.RelationFetcher.Keyed;

/**
 * Coalesces the lazy loads of one relation, DataLoader-style: the loads requested within
 * a short window of the first share one statement, and a batch that reaches its maximum
 * size is sent at once, so that no more requests than that ever wait. The window is a
 * timer on {@link Schedulers#parallel()}; nothing waits by blocking.
 * <p>
 * Requests, full batches and expired windows meet in one drain loop that a single thread
 * runs at a time, which keeps the batch free of locks and of races between a request and
 * its window. The shared statement belongs to no single subscriber: cancelling one load
 * leaves the others theirs, and the statement runs outside the subscribers' transactions.
 */
final class LazyLoadBatcher {

	private final ResolvedRelation relation;

	private final RelationFetcher fetcher;

	private final long windowNanos;

	private final int maxBatchSize;

	private final Scheduler scheduler = Schedulers.parallel();

	private final Queue<Request> requests = new ConcurrentLinkedQueue<>();

	private final AtomicInteger drains = new AtomicInteger();

	/**
	 * The latest batch whose window has ended; only ever grows, so a late timer of a
	 * batch that was sent full cannot hide the end of a newer window.
	 */
	private final AtomicLong expiredBatch = new AtomicLong(-1);

	// Owned by the thread that runs the drain loop.

	private List<Request> pending = new ArrayList<>();

	private long batch;

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
				if (this.pending.size() == 1) {
					openWindow();
				}
				if (this.pending.size() >= this.maxBatchSize) {
					send();
				}
			}
			if (!this.pending.isEmpty() && this.expiredBatch.get() >= this.batch) {
				send();
			}
			missed = this.drains.addAndGet(-missed);
		}
		while (missed != 0);
	}

	private void openWindow() {
		long opened = this.batch;
		try {
			this.window = this.scheduler.schedule(() -> {
				this.expiredBatch.accumulateAndGet(opened, Math::max);
				drain();
			}, this.windowNanos, TimeUnit.NANOSECONDS);
		}
		catch (RejectedExecutionException ex) {
			// No timer to wait for: send the batch at the end of this drain.
			this.expiredBatch.accumulateAndGet(opened, Math::max);
		}
	}

	private void send() {
		this.window.dispose();
		List<Request> sent = this.pending;
		this.pending = new ArrayList<>();
		this.batch++;
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
