package dev.protevus.boot.queue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.HashSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import org.springframework.lang.Nullable;

/**
 * Keeps jobs in this JVM, with the semantics of {@link RedisQueueBroker}: pending jobs,
 * reclaiming after the visibility time-out, retries and delayed jobs that wait until
 * moved, a bounded dead-letter list. For applications of one instance, and for testing
 * listeners without Redis. Jobs do not survive a restart.
 *
 * @since 0.1.0
 */
public final class MemoryQueueBroker implements QueueBroker {

	private static final int DEDUPLICATION_SWEEP = 1024;

	private final Function<String, QueueSettings> settings;

	private final Map<String, MemoryQueue> queues = new ConcurrentHashMap<>();

	/**
	 * Creates a broker.
	 * @param settings the settings of each queue, for its maximum length
	 */
	public MemoryQueueBroker(Function<String, QueueSettings> settings) {
		this.settings = settings;
	}

	@Override
	public Mono<String> publish(String queue, EncodedJob job, Duration delay, @Nullable String deduplicationId,
			Duration deduplicationWindow) {
		return Mono.fromSupplier(() -> queue(queue).publish(job, delay, deduplicationId, deduplicationWindow));
	}

	@Override
	public Mono<Void> prepare(String queue) {
		return Mono.fromRunnable(() -> queue(queue));
	}

	@Override
	public Mono<List<Delivery>> read(String queue, String consumer, int count, Duration block) {
		return Mono.defer(() -> {
			MemoryQueue memory = queue(queue);
			Sinks.Empty<Void> arrival;
			synchronized (memory) {
				List<Delivery> taken = memory.take(consumer, count);
				if (!taken.isEmpty()) {
					return Mono.just(taken);
				}
				arrival = memory.arrival;
			}
			return arrival.asMono()
				.timeout(block, Mono.empty())
				.then(Mono.fromSupplier(() -> memory.takeSynchronized(consumer, count)));
		});
	}

	@Override
	public Mono<List<Delivery>> reclaim(String queue, String consumer, int count, Duration minIdle) {
		return Mono.fromSupplier(() -> queue(queue).reclaim(consumer, count, minIdle));
	}

	@Override
	public Mono<Void> complete(String queue, Delivery delivery) {
		return Mono.fromRunnable(() -> queue(queue).remove(delivery.messageId()));
	}

	@Override
	public Mono<Void> retry(String queue, Delivery delivery, EncodedJob next, Duration delay) {
		return Mono.fromRunnable(() -> {
			MemoryQueue memory = queue(queue);
			synchronized (memory) {
				if (memory.pending.remove(delivery.messageId()) != null) {
					memory.schedule(next, delay);
				}
			}
		});
	}

	@Override
	public Mono<Void> bury(String queue, Delivery delivery, String error) {
		return Mono.fromRunnable(() -> {
			MemoryQueue memory = queue(queue);
			synchronized (memory) {
				memory.pending.remove(delivery.messageId());
				memory.dead.addFirst(new DeadJob(delivery.job().id(), delivery.job().type(), delivery.job().attempt(),
						Instant.ofEpochMilli(delivery.job().enqueuedAt()), Instant.now(), error));
				memory.deadJobs.put(delivery.job().id(), delivery.job());
				while (memory.dead.size() > memory.maxLength()) {
					memory.deadJobs.remove(memory.dead.removeLast().id());
				}
			}
		});
	}

	@Override
	public Mono<Long> promoteDue(String queue) {
		return Mono.fromSupplier(() -> queue(queue).promoteDue());
	}

	@Override
	public Mono<QueueStats> stats(String queue) {
		return Mono.fromSupplier(() -> queue(queue).stats());
	}

	@Override
	public Flux<DeadJob> deadJobs(String queue, int limit) {
		return Flux.defer(() -> {
			MemoryQueue memory = queue(queue);
			synchronized (memory) {
				return Flux.fromIterable(new ArrayList<>(memory.dead)).take(limit);
			}
		});
	}

	@Override
	public Mono<Long> retryDead(String queue) {
		return Mono.fromSupplier(() -> {
			MemoryQueue memory = queue(queue);
			synchronized (memory) {
				long moved = 0;
				while (!memory.dead.isEmpty()) {
					DeadJob dead = memory.dead.removeLast();
					EncodedJob job = memory.deadJobs.remove(dead.id());
					if (job != null) {
						memory.add(new EncodedJob(job.id(), job.type(), job.payload(), 1, job.enqueuedAt(), null));
						moved++;
					}
				}
				memory.signal();
				return moved;
			}
		});
	}

	@Override
	public Mono<Long> purgeDead(String queue) {
		return Mono.fromSupplier(() -> {
			MemoryQueue memory = queue(queue);
			synchronized (memory) {
				long purged = memory.dead.size();
				memory.dead.clear();
				memory.deadJobs.clear();
				return purged;
			}
		});
	}

	/**
	 * Takes a stopped consumer out of every queue it has no pending job in.
	 */
	@Override
	public void release(String consumer) {
		this.queues.values().forEach((memory) -> memory.leave(consumer));
	}

	private MemoryQueue queue(String name) {
		return this.queues.computeIfAbsent(name, (key) -> new MemoryQueue(key, this.settings));
	}

	private record Entry(String messageId, EncodedJob job, long addedAt) {
	}

	private record Pending(Entry entry, String consumer, long deliveredAtNanos) {
	}

	private record Scheduled(long dueNanos, long sequence, EncodedJob job) {
	}

	private record Remembered(String jobId, long expiresAtNanos) {
	}

	/**
	 * One queue; every field is guarded by the queue's monitor.
	 */
	private static final class MemoryQueue {

		private final String name;

		private final Function<String, QueueSettings> settings;

		private final Deque<Entry> ready = new ArrayDeque<>();

		private final Map<String, Pending> pending = new LinkedHashMap<>();

		private final PriorityQueue<Scheduled> delayed = new PriorityQueue<>((a, b) -> (a.dueNanos() != b.dueNanos())
				? Long.compare(a.dueNanos(), b.dueNanos()) : Long.compare(a.sequence(), b.sequence()));

		private final Deque<DeadJob> dead = new ArrayDeque<>();

		private final Map<String, EncodedJob> deadJobs = new HashMap<>();

		private final Map<String, Remembered> deduplication = new HashMap<>();

		private final Set<String> consumers = new HashSet<>();

		private Sinks.Empty<Void> arrival = Sinks.empty();

		private long sequence;

		MemoryQueue(String name, Function<String, QueueSettings> settings) {
			this.name = name;
			this.settings = settings;
		}

		long maxLength() {
			return this.settings.apply(this.name).maxLength();
		}

		synchronized String publish(EncodedJob job, Duration delay, @Nullable String deduplicationId, Duration window) {
			long now = System.nanoTime();
			if (deduplicationId != null) {
				if (this.deduplication.size() >= DEDUPLICATION_SWEEP) {
					this.deduplication.values().removeIf((remembered) -> remembered.expiresAtNanos() - now <= 0);
				}
				Remembered earlier = this.deduplication.get(deduplicationId);
				if (earlier != null && earlier.expiresAtNanos() - now > 0) {
					return earlier.jobId();
				}
				this.deduplication.put(deduplicationId, new Remembered(job.id(), now + window.toNanos()));
			}
			EncodedJob stamped = new EncodedJob(job.id(), job.type(), job.payload(), job.attempt(),
					System.currentTimeMillis(), job.error());
			if (delay.isZero()) {
				add(stamped);
				signal();
			}
			else {
				schedule(stamped, delay);
			}
			return job.id();
		}

		void add(EncodedJob job) {
			this.ready.addLast(new Entry(Long.toString(++this.sequence), job, System.currentTimeMillis()));
			long max = maxLength();
			while (this.ready.size() + this.pending.size() > max && !this.ready.isEmpty()) {
				this.ready.removeFirst();
			}
		}

		void schedule(EncodedJob job, Duration delay) {
			this.delayed.add(new Scheduled(System.nanoTime() + delay.toNanos(), ++this.sequence, job));
		}

		void signal() {
			Sinks.Empty<Void> previous = this.arrival;
			this.arrival = Sinks.empty();
			previous.tryEmitEmpty();
		}

		List<Delivery> take(String consumer, int count) {
			this.consumers.add(consumer);
			List<Delivery> taken = new ArrayList<>(Math.min(count, this.ready.size()));
			long now = System.nanoTime();
			while (taken.size() < count && !this.ready.isEmpty()) {
				Entry entry = this.ready.removeFirst();
				this.pending.put(entry.messageId(), new Pending(entry, consumer, now));
				taken.add(new Delivery(entry.messageId(), entry.job()));
			}
			return taken;
		}

		synchronized List<Delivery> takeSynchronized(String consumer, int count) {
			return take(consumer, count);
		}

		synchronized void leave(String consumer) {
			if (this.pending.values().stream().noneMatch((pending) -> pending.consumer().equals(consumer))) {
				this.consumers.remove(consumer);
			}
		}

		synchronized List<Delivery> reclaim(String consumer, int count, Duration minIdle) {
			this.consumers.add(consumer);
			long now = System.nanoTime();
			List<Delivery> claimed = new ArrayList<>();
			List<Pending> moved = new ArrayList<>();
			Iterator<Pending> pendings = this.pending.values().iterator();
			while (claimed.size() < count && pendings.hasNext()) {
				Pending pending = pendings.next();
				if (now - pending.deliveredAtNanos() >= minIdle.toNanos()) {
					pendings.remove();
					moved.add(new Pending(pending.entry(), consumer, now));
					claimed.add(new Delivery(pending.entry().messageId(), pending.entry().job()));
				}
			}
			moved.forEach((pending) -> this.pending.put(pending.entry().messageId(), pending));
			return claimed;
		}

		synchronized void remove(String messageId) {
			this.pending.remove(messageId);
		}

		synchronized long promoteDue() {
			long now = System.nanoTime();
			long moved = 0;
			while (!this.delayed.isEmpty() && this.delayed.peek().dueNanos() - now <= 0) {
				add(this.delayed.poll().job());
				moved++;
			}
			if (moved > 0) {
				signal();
			}
			return moved;
		}

		synchronized QueueStats stats() {
			long oldest = Long.MAX_VALUE;
			if (!this.ready.isEmpty()) {
				oldest = this.ready.peekFirst().addedAt();
			}
			for (Pending pending : this.pending.values()) {
				oldest = Math.min(oldest, pending.entry().addedAt());
			}
			Duration lag = (oldest != Long.MAX_VALUE)
					? Duration.ofMillis(Math.max(0, System.currentTimeMillis() - oldest)) : Duration.ZERO;
			return new QueueStats(this.name, this.ready.size(), this.pending.size(), this.consumers.size(), lag,
					this.delayed.size(), this.dead.size());
		}

	}

}
