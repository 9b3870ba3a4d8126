package dev.protevus.boot.queue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

import dev.protevus.boot.task.BackgroundScheduler;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.context.SmartLifecycle;
import org.springframework.util.Assert;
import org.springframework.util.function.SingletonSupplier;

/**
 * The {@link JobQueue} on a {@link QueueBroker}: publishes through it and runs one
 * {@link QueueWorker} per listened queue, which reads no more jobs than the queue's
 * concurrency leaves room for. Runs as a {@link SmartLifecycle}: listeners start with the
 * application and, when it stops, read no more and finish their jobs in flight within the
 * shutdown phase's time-out, leaving everything else pending for other instances. Delayed
 * jobs and retries are moved into their queues, and each queue's state is measured for
 * {@link QueueLag}, on the {@link BackgroundScheduler}.
 *
 * @since 0.1.0
 */
public class BrokerJobQueue implements JobQueue, QueueLag, SmartLifecycle {

	private static final Log logger = LogFactory.getLog(BrokerJobQueue.class);

	private static final Duration STATS_INTERVAL = Duration.ofSeconds(5);

	private final QueueBroker broker;

	private final JsonJobCodec codec;

	private final Function<String, QueueSettings> settings;

	private final Set<String> configuredQueues;

	private final BackgroundScheduler scheduler;

	private final Duration dueCheckInterval;

	private final Duration timeout;

	private final String consumerName;

	private final Supplier<List<QueueObserver>> observers;

	private final Map<String, QueueWorker<?>> workers = new ConcurrentHashMap<>();

	private final Set<String> publishedQueues = ConcurrentHashMap.newKeySet();

	private final Map<String, QueueStats> lastStats = new ConcurrentHashMap<>();

	private final Map<String, AtomicBoolean> promoting = new ConcurrentHashMap<>();

	private final List<Disposable> tasks = new ArrayList<>();

	private volatile boolean running;

	/**
	 * Creates a queue.
	 * @param broker where jobs are kept
	 * @param codec reads and writes payloads
	 * @param settings the settings of each queue
	 * @param configuredQueues the queues configured by name, measured even when this
	 * instance does not use them
	 * @param scheduler runs the moving of due jobs and the measuring of queues
	 * @param dueCheckInterval how often due delayed jobs and retries are moved into their
	 * queues
	 * @param timeout how long a publish or an operation may wait for the broker
	 * @param consumerName this instance's consumer name, unique among the instances
	 * @param observers told what happens to jobs, asked for once on first use
	 */
	public BrokerJobQueue(QueueBroker broker, JsonJobCodec codec, Function<String, QueueSettings> settings,
			Collection<String> configuredQueues, BackgroundScheduler scheduler, Duration dueCheckInterval,
			Duration timeout, String consumerName, Supplier<List<QueueObserver>> observers) {
		Assert.isTrue(dueCheckInterval.compareTo(Duration.ZERO) > 0,
				() -> "dueCheckInterval must be positive but was " + dueCheckInterval);
		Assert.isTrue(timeout.compareTo(Duration.ZERO) > 0, () -> "timeout must be positive but was " + timeout);
		this.broker = broker;
		this.codec = codec;
		this.settings = settings;
		this.configuredQueues = Set.copyOf(configuredQueues);
		this.scheduler = scheduler;
		this.dueCheckInterval = dueCheckInterval;
		this.timeout = timeout;
		this.consumerName = consumerName;
		this.observers = SingletonSupplier.of(() -> List.copyOf(observers.get()));
	}

	/**
	 * A consumer name unique to this run of this instance.
	 * @param prefix what it starts with, such as the application's name
	 * @return the name
	 */
	public static String uniqueConsumerName(String prefix) {
		return prefix + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
	}

	@Override
	public Mono<String> publish(String queue, Object payload, PublishOptions options) {
		checkName(queue);
		Assert.notNull(payload, "payload must not be null");
		Assert.notNull(options, "options must not be null");
		return Mono.defer(() -> {
			this.publishedQueues.add(queue);
			EncodedJob job = new EncodedJob(newId(), this.codec.type(payload), this.codec.write(payload), 1, 0, null);
			return within(this.broker.publish(queue, job, options.getDelay(), options.getDeduplicationId(),
					options.getDeduplicationWindow()), this.timeout)
				.onErrorMap((ex) -> !(ex instanceof JobPayloadException),
						(ex) -> new QueueUnavailableException(queue, ex))
				.doOnSuccess((id) -> observe((observer) -> observer.published(queue)));
		});
	}

	@Override
	public <T> Disposable listen(String queue, Class<T> payloadType, JobHandler<T> handler) {
		checkName(queue);
		Assert.notNull(payloadType, "payloadType must not be null");
		Assert.notNull(handler, "handler must not be null");
		QueueWorker<T> worker = new QueueWorker<>(this, queue, settings(queue), payloadType, handler);
		if (this.workers.putIfAbsent(queue, worker) != null) {
			throw new IllegalStateException("Queue '" + queue + "' already has a listener");
		}
		if (this.running) {
			worker.start();
		}
		return new Disposable() {

			@Override
			public void dispose() {
				if (BrokerJobQueue.this.workers.remove(queue, worker)) {
					worker.stop(() -> {
					});
				}
			}

			@Override
			public boolean isDisposed() {
				return !BrokerJobQueue.this.workers.containsKey(queue);
			}

		};
	}

	@Override
	public Mono<QueueStats> stats(String queue) {
		checkName(queue);
		return guarded(queue, this.broker.stats(queue)).doOnNext((stats) -> this.lastStats.put(queue, stats));
	}

	@Override
	public Set<String> queues() {
		Set<String> names = new TreeSet<>(this.configuredQueues);
		names.addAll(this.workers.keySet());
		names.addAll(this.publishedQueues);
		return names;
	}

	@Override
	public QueueSettings settings(String queue) {
		return this.settings.apply(queue);
	}

	@Override
	public Flux<DeadJob> deadJobs(String queue, int limit) {
		checkName(queue);
		Assert.isTrue(limit > 0, () -> "limit must be positive but was " + limit);
		return this.broker.deadJobs(queue, limit)
			.timeout(this.timeout)
			.onErrorMap((ex) -> new QueueUnavailableException(queue, ex));
	}

	@Override
	public Mono<Long> retryDead(String queue) {
		checkName(queue);
		return guarded(queue, this.broker.retryDead(queue));
	}

	@Override
	public Mono<Long> purgeDead(String queue) {
		checkName(queue);
		return guarded(queue, this.broker.purgeDead(queue));
	}

	@Override
	public double lagSeconds() {
		return this.lastStats.values()
			.stream()
			.mapToDouble((stats) -> stats.lag().toNanos() / 1e9)
			.max()
			.orElse(Double.NaN);
	}

	/**
	 * The state of each queue as last measured.
	 * @return the states by queue name
	 */
	public Map<String, QueueStats> lastStats() {
		return Map.copyOf(this.lastStats);
	}

	/**
	 * This instance's consumer name.
	 * @return the name
	 */
	public String consumerName() {
		return this.consumerName;
	}

	@Override
	public void start() {
		synchronized (this.tasks) {
			if (this.running) {
				return;
			}
			this.running = true;
			this.workers.values().forEach(QueueWorker::start);
			this.tasks.add(this.scheduler.schedulePeriodically("queue due jobs", this::promoteDue,
					this.dueCheckInterval, this.dueCheckInterval));
			this.tasks.add(this.scheduler.schedulePeriodically("queue statistics", this::measure, Duration.ZERO,
					STATS_INTERVAL));
		}
	}

	@Override
	public void stop() {
		stop(() -> {
		});
	}

	@Override
	public void stop(Runnable callback) {
		List<QueueWorker<?>> stopping;
		synchronized (this.tasks) {
			this.running = false;
			this.tasks.forEach(Disposable::dispose);
			this.tasks.clear();
			stopping = List.copyOf(this.workers.values());
		}
		if (stopping.isEmpty()) {
			this.broker.release(this.consumerName);
			callback.run();
			return;
		}
		AtomicInteger remaining = new AtomicInteger(stopping.size());
		for (QueueWorker<?> worker : stopping) {
			worker.stop(() -> {
				if (remaining.decrementAndGet() == 0) {
					this.broker.release(this.consumerName);
					callback.run();
				}
			});
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	QueueBroker broker() {
		return this.broker;
	}

	JsonJobCodec codec() {
		return this.codec;
	}

	Duration timeout() {
		return this.timeout;
	}

	void observe(Consumer<QueueObserver> event) {
		for (QueueObserver observer : this.observers.get()) {
			try {
				event.accept(observer);
			}
			catch (RuntimeException ex) {
				logger.debug("Queue observer failed", ex);
			}
		}
	}

	private void promoteDue() {
		for (String queue : this.workers.keySet()) {
			AtomicBoolean busy = this.promoting.computeIfAbsent(queue, (name) -> new AtomicBoolean());
			if (busy.compareAndSet(false, true)) {
				this.broker.promoteDue(queue)
					.timeout(this.timeout)
					.doFinally((signal) -> busy.set(false))
					.subscribe(null, (ex) -> logger.debug("Could not move due jobs of queue '" + queue + "'", ex));
			}
		}
	}

	private void measure() {
		for (String queue : queues()) {
			this.broker.stats(queue)
				.timeout(this.timeout)
				.subscribe((stats) -> this.lastStats.put(queue, stats),
						(ex) -> logger.debug("Could not measure queue '" + queue + "'", ex));
		}
	}

	private <T> Mono<T> guarded(String queue, Mono<T> operation) {
		return operation.timeout(this.timeout).onErrorMap((ex) -> new QueueUnavailableException(queue, ex));
	}

	/**
	 * An operation run once per job, failing with a {@link TimeoutException} when it does
	 * not end within the time-out: {@code timeout(Duration)} and
	 * {@code timeout(Publisher)} work the operator's name out with regular expressions on
	 * every subscription, for their exception message, which a time-out with a fallback
	 * does not.
	 */
	static <T> Mono<T> within(Mono<T> operation, Duration timeout) {
		return operation.timeout(Mono.delay(timeout),
				Mono.error(() -> new TimeoutException("no answer within " + timeout.toMillis() + " ms")));
	}

	private static String newId() {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		return new UUID(random.nextLong(), random.nextLong()).toString();
	}

	static Instant instant(long epochMillis) {
		return Instant.ofEpochMilli(epochMillis);
	}

	private static void checkName(String queue) {
		Assert.hasText(queue, "queue name must not be empty");
		Assert.isTrue(queue.indexOf('{') < 0 && queue.indexOf('}') < 0,
				() -> "queue name must not contain braces but was '" + queue + "'");
	}

}
