package dev.protevus.boot.queue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;

import org.springframework.core.NestedExceptionUtils;
import org.springframework.lang.Nullable;

/**
 * Runs one queue's jobs on this instance: reads no more jobs than its concurrency leaves
 * room for (so there is no prefetch beyond what runs), runs each with the handler, and
 * completes, retries or buries it. Now and then it reclaims jobs left pending by other
 * consumers instead of reading new ones. A failed read (the broker is down) is retried
 * after a growing pause. All state changes go through {@link #drain()}, a
 * work-in-progress loop, so callbacks that arrive on any thread, or at once, never
 * recurse or start two reads.
 */
final class QueueWorker<T> {

	private static final Log logger = LogFactory.getLog(QueueWorker.class);

	static final Duration BLOCK = Duration.ofSeconds(1);

	private static final Duration MAX_PAUSE = Duration.ofSeconds(5);

	private static final int MAX_ERROR_LENGTH = 2000;

	private final BrokerJobQueue queues;

	private final String queue;

	private final QueueSettings settings;

	private final Class<T> payloadType;

	private final JobHandler<T> handler;

	private final Duration reclaimInterval;

	private final AtomicInteger wip = new AtomicInteger();

	private final AtomicInteger inFlight = new AtomicInteger();

	private volatile boolean running;

	private volatile boolean reading;

	private volatile boolean pausing;

	private volatile boolean prepared;

	private volatile long nextReclaim;

	private int failedReads;

	@Nullable
	private volatile Runnable onStopped;

	QueueWorker(BrokerJobQueue queues, String queue, QueueSettings settings, Class<T> payloadType,
			JobHandler<T> handler) {
		this.queues = queues;
		this.queue = queue;
		this.settings = settings;
		this.payloadType = payloadType;
		this.handler = handler;
		Duration half = settings.visibilityTimeout().dividedBy(2);
		this.reclaimInterval = (half.compareTo(Duration.ofSeconds(30)) > 0) ? Duration.ofSeconds(30) : half;
	}

	void start() {
		this.onStopped = null;
		this.nextReclaim = System.nanoTime() + this.reclaimInterval.toNanos();
		this.running = true;
		drain();
	}

	/**
	 * Stops reading; the callback runs once the read under way and the jobs in flight are
	 * done.
	 */
	void stop(Runnable callback) {
		this.onStopped = callback;
		this.running = false;
		drain();
	}

	int inFlight() {
		return this.inFlight.get();
	}

	private void drain() {
		if (this.wip.getAndIncrement() != 0) {
			return;
		}
		do {
			if (this.running) {
				int free = this.settings.concurrency() - this.inFlight.get();
				if (free > 0 && !this.reading && !this.pausing) {
					this.reading = true;
					next(free).subscribe(this::received, this::readFailed);
				}
			}
			else if (!this.reading && this.inFlight.get() == 0) {
				Runnable callback = this.onStopped;
				if (callback != null) {
					this.onStopped = null;
					callback.run();
				}
			}
		}
		while (this.wip.decrementAndGet() != 0);
	}

	private Mono<List<Delivery>> next(int free) {
		QueueBroker broker = this.queues.broker();
		if (!this.prepared) {
			return broker.prepare(this.queue).doOnSuccess((done) -> this.prepared = true).then(Mono.just(List.of()));
		}
		long now = System.nanoTime();
		if (now - this.nextReclaim >= 0) {
			this.nextReclaim = now + this.reclaimInterval.toNanos();
			return broker.reclaim(this.queue, this.queues.consumerName(), free, this.settings.visibilityTimeout());
		}
		return broker.read(this.queue, this.queues.consumerName(), free, BLOCK)
			.timeout(BLOCK.plus(MAX_PAUSE).plus(MAX_PAUSE));
	}

	private void received(List<Delivery> deliveries) {
		this.inFlight.addAndGet(deliveries.size());
		if (this.failedReads > 0) {
			logger.info("Queue '" + this.queue + "' reads again");
			this.failedReads = 0;
		}
		this.reading = false;
		deliveries.forEach(this::run);
		drain();
	}

	private void readFailed(Throwable ex) {
		if (isMissingGroup(ex)) {
			this.prepared = false;
		}
		this.failedReads++;
		if (this.failedReads == 1) {
			logger.warn("Queue '" + this.queue + "' cannot read jobs, retrying: "
					+ NestedExceptionUtils.getMostSpecificCause(ex));
		}
		long millis = Math.min(MAX_PAUSE.toMillis(), 100L << Math.min(this.failedReads - 1, 10));
		this.pausing = true;
		this.reading = false;
		Mono.delay(Duration.ofMillis(millis)).subscribe((tick) -> {
			this.pausing = false;
			drain();
		});
		drain();
	}

	private static boolean isMissingGroup(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause.getMessage() != null && cause.getMessage().contains("NOGROUP")) {
				return true;
			}
		}
		return false;
	}

	private void run(Delivery delivery) {
		EncodedJob encoded = delivery.job();
		QueueBroker broker = this.queues.broker();
		T payload;
		try {
			payload = this.queues.codec().read(encoded.type(), encoded.payload(), this.payloadType);
		}
		catch (JobPayloadException ex) {
			finish(broker.bury(this.queue, delivery, describe(ex))
				.doOnSuccess((done) -> this.queues.observe((observer) -> observer.dead(this.queue))));
			return;
		}
		Job job = new Job(encoded.id(), this.queue, encoded.attempt(), BrokerJobQueue.instant(encoded.enqueuedAt()));
		long start = System.nanoTime();
		Mono<Void> outcome = Mono.defer(() -> this.handler.handle(payload, job)).then(Mono.defer(() -> {
			this.queues
				.observe((observer) -> observer.processed(this.queue, Duration.ofNanos(System.nanoTime() - start)));
			return broker.complete(this.queue, delivery).onErrorMap(AcknowledgeFailure::new);
		})).onErrorResume((ex) -> !(ex instanceof AcknowledgeFailure), (ex) -> failed(delivery, ex, start));
		finish(outcome);
	}

	private Mono<Void> failed(Delivery delivery, Throwable ex, long start) {
		Duration took = Duration.ofNanos(System.nanoTime() - start);
		this.queues.observe((observer) -> observer.failed(this.queue, took));
		EncodedJob job = delivery.job();
		QueueBroker broker = this.queues.broker();
		String error = describe(ex);
		if (job.attempt() >= this.settings.maxAttempts()) {
			logger.warn("Job " + job.id() + " of queue '" + this.queue + "' failed on its last attempt ("
					+ job.attempt() + "), moving it to the dead-letter stream: " + error);
			return broker.bury(this.queue, delivery, error)
				.doOnSuccess((done) -> this.queues.observe((observer) -> observer.dead(this.queue)));
		}
		if (logger.isDebugEnabled()) {
			logger.debug("Job " + job.id() + " of queue '" + this.queue + "' failed on attempt " + job.attempt()
					+ ", retrying: " + error);
		}
		return broker.retry(this.queue, delivery, job.nextAttempt(error), this.settings.backoff().delay(job.attempt()))
			.doOnSuccess((done) -> this.queues.observe((observer) -> observer.retried(this.queue)));
	}

	/**
	 * Subscribes to what a job's run ends with; a broker that cannot take the outcome
	 * leaves the job pending, so another consumer reclaims it after the visibility
	 * time-out.
	 */
	private void finish(Mono<Void> outcome) {
		BrokerJobQueue.within(outcome, this.queues.timeout().plus(this.settings.visibilityTimeout()))
			.doFinally((signal) -> {
				this.inFlight.decrementAndGet();
				drain();
			})
			.subscribe(null, (ex) -> logger.warn(
					"Queue '" + this.queue + "' could not record a job's outcome; it will be delivered again: " + ex));
	}

	private static String describe(Throwable ex) {
		String text = ex.getClass().getName() + ((ex.getMessage() != null) ? ": " + ex.getMessage() : "");
		return (text.length() > MAX_ERROR_LENGTH) ? text.substring(0, MAX_ERROR_LENGTH) : text;
	}

	/**
	 * Marks a failure of the broker after a handler succeeded, which is not the handler's
	 * failure.
	 */
	static final class AcknowledgeFailure extends RuntimeException {

		AcknowledgeFailure(Throwable cause) {
			super(cause.getMessage(), cause);
		}

	}

}
