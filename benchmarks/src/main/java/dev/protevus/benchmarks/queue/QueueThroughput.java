package dev.protevus.benchmarks.queue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.protevus.benchmarks.report.ResultLine;
import dev.protevus.boot.queue.BrokerJobQueue;
import dev.protevus.boot.queue.DeadJob;
import dev.protevus.boot.queue.Delivery;
import dev.protevus.boot.queue.EncodedJob;
import dev.protevus.boot.queue.JsonJobCodec;
import dev.protevus.boot.queue.QueueBroker;
import dev.protevus.boot.queue.QueueSettings;
import dev.protevus.boot.queue.QueueStats;
import dev.protevus.boot.queue.RedisQueueBroker;
import dev.protevus.boot.task.BackgroundScheduler;
import io.lettuce.core.Consumer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.reactive.RedisReactiveCommands;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.lang.Nullable;

/**
 * End-to-end throughput and latency of one job queue on Redis Streams: Protevus's
 * {@link BrokerJobQueue} on {@link RedisQueueBroker} against a hand-written Lettuce loop
 * of {@code XADD}, {@code XREADGROUP} and {@code XACK} on the same Redis. Both sides keep
 * the same number of jobs between publish and acknowledgement (the window), run the same
 * number of jobs at once on the consuming side (the concurrency, with one blocking reader
 * connection per queue, as Protevus does), and carry the same JSON payload. A job's
 * latency runs from the publish call to the confirmed acknowledgement; throughput counts
 * acknowledged jobs after a warm-up that is not counted; a first round is not reported at
 * all, and rounds alternate which side goes first.
 * <p>
 * A main program rather than JMH: publish, delivery and acknowledgement of one job happen
 * on different threads and connections, so one JMH operation cannot contain a job, and
 * the latency wanted is the distribution of whole jobs (HdrHistogram), not the time of a
 * call. Goal: Protevus at least 0.7 times the Lettuce loop's throughput.
 * <p>
 * Run with {@code java [-Dredis.host=…] [-Dredis.port=…] -cp
 * benchmarks/target/benchmarks.jar dev.protevus.benchmarks.queue.QueueThroughput [seconds
 * measured per run] [warm-up seconds] [concurrency] [window] [payload bytes] [rounds]};
 * defaults 20, 5, 16, 64, 256, 1. It writes only keys that start with
 * {@code bench:queue:} and deletes them.
 *
 * @since 0.1.0
 */
public final class QueueThroughput {

	private static final String KEY_PREFIX = "bench:queue:";

	private static final String GROUP = "bench";

	private static final ObjectMapper JSON = new ObjectMapper();

	private QueueThroughput() {
	}

	public static void main(String[] args) throws Exception {
		int seconds = argument(args, 0, 20);
		int warmUpSeconds = argument(args, 1, 5);
		int concurrency = argument(args, 2, 16);
		int window = argument(args, 3, 64);
		int payloadBytes = argument(args, 4, 256);
		int rounds = argument(args, 5, 1);
		String host = System.getProperty("redis.host", "127.0.0.1");
		int port = Integer.getInteger("redis.port", 6379);
		String text = "x".repeat(payloadBytes);
		System.out.printf(
				"Queue publish -> consume -> ack on redis://%s:%d: %d s measured after %d s warm-up per run, "
						+ "concurrency %d, window %d jobs, payload %d bytes of text, %d round(s)%n",
				host, port, seconds, warmUpSeconds, concurrency, window, payloadBytes, rounds);
		// A round that is not reported, so that the first side measured does not also pay
		// for the JIT compiling what both sides share (Lettuce, Netty, Reactor).
		new LettuceLoop(host, port, concurrency).run(warmUpSeconds, 1, window, text);
		new ProtevusQueue(host, port, concurrency).run(warmUpSeconds, 1, window, text);
		long lettuceJobs = 0;
		long protevusJobs = 0;
		double[][] rates = new double[2][rounds];
		double[][] p99Micros = new double[2][rounds];
		for (int round = 1; round <= rounds; round++) {
			// Each round changes which side goes first, so that neither always gets the
			// warmer JVM.
			Result lettuce;
			Result protevus;
			if (round % 2 == 1) {
				lettuce = new LettuceLoop(host, port, concurrency).run(warmUpSeconds, seconds, window, text);
				protevus = new ProtevusQueue(host, port, concurrency).run(warmUpSeconds, seconds, window, text);
			}
			else {
				protevus = new ProtevusQueue(host, port, concurrency).run(warmUpSeconds, seconds, window, text);
				lettuce = new LettuceLoop(host, port, concurrency).run(warmUpSeconds, seconds, window, text);
			}
			System.out.printf("Round %d%n", round);
			lettuce.print("lettuce ");
			protevus.print("protevus");
			System.out.printf("  protevus / lettuce throughput: %.2fx (goal >= 0.70x)%n",
					protevus.throughput() / lettuce.throughput());
			lettuceJobs += lettuce.jobs();
			protevusJobs += protevus.jobs();
			rates[0][round - 1] = lettuce.throughput();
			rates[1][round - 1] = protevus.throughput();
			p99Micros[0][round - 1] = lettuce.latency().getValueAtPercentile(99) / 1e3;
			p99Micros[1][round - 1] = protevus.latency().getValueAtPercentile(99) / 1e3;
		}
		ResultLine.print("queue",
				Map.of("seconds", seconds, "warmupSeconds", warmUpSeconds, "lettuceJobsPerSecond", rates[0],
						"protevusJobsPerSecond", rates[1], "lettuceP99Micros", p99Micros[0], "protevusP99Micros",
						p99Micros[1]));
		if (rounds > 1) {
			System.out.printf("All rounds: protevus / lettuce throughput %.2fx%n", (double) protevusJobs / lettuceJobs);
		}
	}

	private static int argument(String[] args, int index, int otherwise) {
		return (args.length > index) ? Integer.parseInt(args[index]) : otherwise;
	}

	/**
	 * The payload of a job on both sides: text of the given size, and when it was
	 * published.
	 *
	 * @param sentNanos {@link System#nanoTime()} at the publish call
	 * @param text the text
	 */
	public record Payload(long sentNanos, String text) {
	}

	record Result(long jobs, double seconds, Histogram latency, long errors) {

		double throughput() {
			return this.jobs / this.seconds;
		}

		void print(String name) {
			System.out.printf(
					"  %s %,10.0f jobs/s  latency p50 %,8.0f us  p99 %,8.0f us  p99.9 %,8.0f us  max %,8.0f us"
							+ "  (%,d jobs, %d errors)%n",
					name, throughput(), this.latency.getValueAtPercentile(50) / 1e3,
					this.latency.getValueAtPercentile(99) / 1e3, this.latency.getValueAtPercentile(99.9) / 1e3,
					this.latency.getMaxValue() / 1e3, this.jobs, this.errors);
		}

	}

	/**
	 * What both sides share: the window of jobs between publish and acknowledgement, kept
	 * full by publishing one job for each acknowledged one, and the counting.
	 */
	abstract static class Side {

		private final Histogram latency = new ConcurrentHistogram(TimeUnit.SECONDS.toNanos(60), 3);

		private final AtomicLong counted = new AtomicLong();

		private final AtomicLong errors = new AtomicLong();

		private final AtomicBoolean publishing = new AtomicBoolean();

		private final AtomicInteger outstanding = new AtomicInteger();

		private volatile boolean counting;

		private String text;

		Result run(int warmUpSeconds, int seconds, int window, String text) throws Exception {
			this.text = text;
			start();
			try {
				this.publishing.set(true);
				for (int i = 0; i < window; i++) {
					publishOne();
				}
				TimeUnit.SECONDS.sleep(warmUpSeconds);
				this.latency.reset();
				this.counted.set(0);
				this.counting = true;
				long begin = System.nanoTime();
				TimeUnit.SECONDS.sleep(seconds);
				this.counting = false;
				double elapsed = (System.nanoTime() - begin) / 1e9;
				long jobs = this.counted.get();
				Histogram copy = this.latency.copy();
				this.publishing.set(false);
				// Let the jobs in flight finish, so that the next side starts on a quiet
				// Redis.
				long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
				while (this.outstanding.get() > 0 && System.nanoTime() < deadline) {
					TimeUnit.MILLISECONDS.sleep(10);
				}
				return new Result(jobs, elapsed, copy, this.errors.get());
			}
			finally {
				stop();
			}
		}

		/** Connects and starts consuming. */
		abstract void start() throws Exception;

		/** Stops consuming, deletes the keys and disconnects. */
		abstract void stop() throws Exception;

		/** Publishes one job. */
		abstract Mono<?> publish(Payload payload);

		final void publishOne() {
			if (!this.publishing.get()) {
				return;
			}
			this.outstanding.incrementAndGet();
			// A failed publish leaves the window one job smaller, rather than retrying in
			// a loop.
			publish(new Payload(System.nanoTime(), this.text)).subscribe(null, (ex) -> {
				this.errors.incrementAndGet();
				this.outstanding.decrementAndGet();
			});
		}

		/** Counts a job whose acknowledgement Redis confirmed, and publishes the next. */
		final void acknowledged(long sentNanos) {
			if (this.counting) {
				this.latency
					.recordValue(Math.min(System.nanoTime() - sentNanos, this.latency.getHighestTrackableValue()));
				this.counted.incrementAndGet();
			}
			this.outstanding.decrementAndGet();
			publishOne();
		}

		final void failed() {
			this.errors.incrementAndGet();
		}

		static String queueName() {
			return "run-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
		}

	}

	/**
	 * Protevus: {@code JobQueue.publish} and {@code JobQueue.listen} with a handler that
	 * does nothing. A broker that records each confirmed acknowledgement wraps
	 * {@link RedisQueueBroker}.
	 */
	static final class ProtevusQueue extends Side {

		private final String host;

		private final int port;

		private final int concurrency;

		private final String queue = queueName();

		private final Map<String, Long> sent = new ConcurrentHashMap<>();

		private BackgroundScheduler scheduler;

		private LettuceConnectionFactory factory;

		private RedisQueueBroker redisBroker;

		private BrokerJobQueue jobs;

		ProtevusQueue(String host, int port, int concurrency) {
			this.host = host;
			this.port = port;
			this.concurrency = concurrency;
		}

		@Override
		void start() {
			this.scheduler = new BackgroundScheduler(2, 1000);
			this.factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration(this.host, this.port));
			this.factory.afterPropertiesSet();
			this.factory.start();
			QueueSettings settings = new QueueSettings(this.concurrency, 5,
					new QueueSettings.Backoff(Duration.ofSeconds(1), 2.0, Duration.ofMinutes(5)),
					Duration.ofSeconds(60), 1_000_000);
			this.redisBroker = new RedisQueueBroker(this.factory, KEY_PREFIX, GROUP, (name) -> settings,
					this.scheduler.scheduler());
			JsonJobCodec codec = new JsonJobCodec(JSON, List.of(QueueThroughput.class.getPackageName()), null);
			this.jobs = new BrokerJobQueue(new Acknowledgements(this.redisBroker), codec, (name) -> settings, List.of(),
					this.scheduler, Duration.ofMillis(250), Duration.ofSeconds(2), "consumer", List::of);
			this.jobs.listen(this.queue, Payload.class, (payload, job) -> {
				this.sent.put(job.id(), payload.sentNanos());
				return Mono.empty();
			});
			this.jobs.start();
		}

		@Override
		Mono<?> publish(Payload payload) {
			return this.jobs.publish(this.queue, payload);
		}

		@Override
		void stop() throws Exception {
			CountDownLatch stopped = new CountDownLatch(1);
			this.jobs.stop(stopped::countDown);
			stopped.await(10, TimeUnit.SECONDS);
			try (var connection = this.factory.getConnection()) {
				String stream = this.redisBroker.streamKey(this.queue);
				connection.keyCommands()
					.del(bytes(stream), bytes(stream + ":delayed"), bytes(this.redisBroker.deadKey(this.queue)));
			}
			this.factory.destroy();
			this.scheduler.dispose();
		}

		private void acknowledged(Delivery delivery) {
			Long sentNanos = this.sent.remove(delivery.job().id());
			if (sentNanos != null) {
				acknowledged(sentNanos);
			}
		}

		/**
		 * The Redis broker, telling the benchmark of every confirmed acknowledgement.
		 */
		private final class Acknowledgements implements QueueBroker {

			private final QueueBroker broker;

			Acknowledgements(QueueBroker broker) {
				this.broker = broker;
			}

			@Override
			public Mono<Void> complete(String queue, Delivery delivery) {
				return this.broker.complete(queue, delivery)
					.doOnSuccess((done) -> ProtevusQueue.this.acknowledged(delivery))
					.doOnError((ex) -> failed());
			}

			@Override
			public Mono<String> publish(String queue, EncodedJob job, Duration delay, @Nullable String deduplicationId,
					Duration deduplicationWindow) {
				return this.broker.publish(queue, job, delay, deduplicationId, deduplicationWindow);
			}

			@Override
			public Mono<Void> prepare(String queue) {
				return this.broker.prepare(queue);
			}

			@Override
			public Mono<List<Delivery>> read(String queue, String consumer, int count, Duration block) {
				return this.broker.read(queue, consumer, count, block);
			}

			@Override
			public Mono<List<Delivery>> reclaim(String queue, String consumer, int count, Duration minIdle) {
				return this.broker.reclaim(queue, consumer, count, minIdle);
			}

			@Override
			public Mono<Void> retry(String queue, Delivery delivery, EncodedJob next, Duration delay) {
				return this.broker.retry(queue, delivery, next, delay);
			}

			@Override
			public Mono<Void> bury(String queue, Delivery delivery, String error) {
				return this.broker.bury(queue, delivery, error);
			}

			@Override
			public Mono<Long> promoteDue(String queue) {
				return this.broker.promoteDue(queue);
			}

			@Override
			public Mono<QueueStats> stats(String queue) {
				return this.broker.stats(queue);
			}

			@Override
			public Flux<DeadJob> deadJobs(String queue, int limit) {
				return this.broker.deadJobs(queue, limit);
			}

			@Override
			public Mono<Long> retryDead(String queue) {
				return this.broker.retryDead(queue);
			}

			@Override
			public Mono<Long> purgeDead(String queue) {
				return this.broker.purgeDead(queue);
			}

			@Override
			public void release(String consumer) {
				this.broker.release(consumer);
			}

		}

	}

	/**
	 * The baseline: Lettuce's reactive API, {@code XADD … MAXLEN ~} on one connection,
	 * one reader on a connection of its own reading {@code XREADGROUP COUNT <free slots>
	 * BLOCK 1000}, and {@code XACK} on the first connection once each job's (empty)
	 * handling is done. Acknowledged entries are left to {@code MAXLEN} rather than
	 * deleted, so the loop does less work per job than Protevus, which deletes them.
	 */
	static final class LettuceLoop extends Side {

		private static final long MAX_LENGTH = 1_000_000;

		private final String host;

		private final int port;

		private final int concurrency;

		private final String stream = KEY_PREFIX + "raw-" + queueName();

		private final AtomicInteger inFlight = new AtomicInteger();

		private final AtomicInteger wip = new AtomicInteger();

		private volatile boolean reading;

		private volatile boolean running;

		private final CountDownLatch readerStopped = new CountDownLatch(1);

		private RedisClient client;

		private StatefulRedisConnection<String, String> commandConnection;

		private StatefulRedisConnection<String, String> readerConnection;

		private RedisReactiveCommands<String, String> commands;

		private RedisReactiveCommands<String, String> reader;

		LettuceLoop(String host, int port, int concurrency) {
			this.host = host;
			this.port = port;
			this.concurrency = concurrency;
		}

		@Override
		void start() {
			this.client = RedisClient.create(RedisURI.create(this.host, this.port));
			this.commandConnection = this.client.connect();
			this.readerConnection = this.client.connect();
			this.commands = this.commandConnection.reactive();
			this.reader = this.readerConnection.reactive();
			this.commands
				.xgroupCreate(XReadArgs.StreamOffset.from(this.stream, "0"), GROUP, XGroupCreateArgs.Builder.mkstream())
				.block();
			this.running = true;
			drain();
		}

		@Override
		Mono<?> publish(Payload payload) {
			return this.commands.xadd(this.stream, XAddArgs.Builder.maxlen(MAX_LENGTH).approximateTrimming(),
					Map.of("payload", write(payload)));
		}

		@Override
		void stop() throws Exception {
			this.running = false;
			drain();
			this.readerStopped.await(5, TimeUnit.SECONDS);
			this.commands.del(this.stream).block();
			this.readerConnection.close();
			this.commandConnection.close();
			this.client.shutdown();
		}

		/**
		 * Reads while there are free slots and no read is under way, as QueueWorker does.
		 */
		private void drain() {
			if (this.wip.getAndIncrement() != 0) {
				return;
			}
			do {
				int free = this.concurrency - this.inFlight.get();
				if (!this.running) {
					if (!this.reading) {
						this.readerStopped.countDown();
					}
				}
				else if (free > 0 && !this.reading) {
					this.reading = true;
					this.reader
						.xreadgroup(Consumer.from(GROUP, "consumer"), XReadArgs.Builder.count(free).block(1000),
								XReadArgs.StreamOffset.lastConsumed(this.stream))
						.collectList()
						.subscribe(this::received, (ex) -> {
							failed();
							this.reading = false;
							drain();
						});
				}
			}
			while (this.wip.decrementAndGet() != 0);
		}

		private void received(List<StreamMessage<String, String>> messages) {
			this.inFlight.addAndGet(messages.size());
			this.reading = false;
			for (StreamMessage<String, String> message : messages) {
				long sentNanos = read(message.getBody().get("payload")).sentNanos();
				this.commands.xack(this.stream, GROUP, message.getId()).subscribe((acked) -> {
					this.inFlight.decrementAndGet();
					acknowledged(sentNanos);
					drain();
				}, (ex) -> {
					failed();
					this.inFlight.decrementAndGet();
					drain();
				});
			}
			drain();
		}

		private static String write(Payload payload) {
			try {
				return JSON.writeValueAsString(payload);
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		}

		private static Payload read(String json) {
			try {
				return JSON.readValue(json, Payload.class);
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		}

	}

	private static byte[] bytes(String key) {
		return key.getBytes(StandardCharsets.UTF_8);
	}

}
