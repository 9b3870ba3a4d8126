package dev.protevus.sample.bookstore.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;
import java.util.function.LongPredicate;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import io.netty.handler.codec.http.HttpMethod;
import org.HdrHistogram.Histogram;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/**
 * Steady load from the test: requests sent at a fixed rate (or as fast as the concurrency
 * allows) with at most {@code concurrency} in flight, over Reactor Netty, each recorded
 * with its start, end, status and the headers a fault check needs. A request that cannot
 * be sent because the concurrency is used up is dropped and counted, so a stalled server
 * cannot pile requests up in the client.
 */
final class ChaosLoad implements AutoCloseable {

	/** Status of a request that failed without a response (connection refused, reset). */
	static final int NO_RESPONSE = -1;

	/** Status of a request the client gave up on after its timeout. */
	static final int CLIENT_TIMEOUT = -2;

	private final ConnectionProvider connections;

	private final LoopResources loops;

	private final HttpClient client;

	private final ConcurrentLinkedQueue<Sample> samples = new ConcurrentLinkedQueue<>();

	private final AtomicLong sequence = new AtomicLong();

	private final AtomicLong dropped = new AtomicLong();

	private final int concurrency;

	private final Duration timeout;

	private volatile LongFunction<Duration> timeouts;

	private Disposable running;

	ChaosLoad(String name, int concurrency, Duration timeout) {
		this.concurrency = concurrency;
		this.timeout = timeout;
		this.timeouts = (n) -> timeout;
		this.connections = ConnectionProvider.builder("chaos-" + name)
			.maxConnections(concurrency)
			.pendingAcquireMaxCount(-1)
			.build();
		// Loops of its own: an instance's context disposes Reactor Netty's global
		// resources when it closes.
		this.loops = LoopResources.create("chaos-" + name, 2, true);
		this.client = HttpClient.create(this.connections).runOn(this.loops);
	}

	/**
	 * Sends {@code rate} requests per second (0: as many as the concurrency allows) of
	 * the given method, to the URL the function gives for each sequence number, until
	 * {@link #stop()}.
	 */
	ChaosLoad start(int rate, HttpMethod method, LongFunction<String> urls, LongFunction<String> bodies) {
		Flux<Long> ticks = (rate > 0)
				? Flux.interval(Duration.ofNanos(1_000_000_000L / rate))
					.onBackpressureDrop((tick) -> this.dropped.incrementAndGet())
				: Flux.<Long>generate((sink) -> sink.next(0L));
		this.running = ticks
			.flatMap((tick) -> send(method, this.sequence.getAndIncrement(), urls, bodies), this.concurrency, 1)
			.subscribe();
		return this;
	}

	/**
	 * How long the client waits for each request, by its sequence number.
	 */
	ChaosLoad timeouts(LongFunction<Duration> timeouts) {
		this.timeouts = timeouts;
		return this;
	}

	ChaosLoad start(int rate, LongFunction<String> urls) {
		return start(rate, HttpMethod.GET, urls, null);
	}

	/**
	 * Sends one request now, outside the steady stream, and records it like the others.
	 */
	Mono<Sample> send(HttpMethod method, long sequence, LongFunction<String> urls, LongFunction<String> bodies) {
		String url = urls.apply(sequence);
		String body = (bodies != null) ? bodies.apply(sequence) : null;
		return Mono.defer(() -> {
			long start = System.nanoTime();
			HttpClient client = (body != null)
					? this.client.headers((headers) -> headers.set("Content-Type", "application/json")) : this.client;
			HttpClient.ResponseReceiver<?> request = (body != null)
					? client.request(method).uri(url).send(ByteBufFlux.fromString(Mono.just(body)))
					: client.request(method).uri(url);
			return request
				.responseSingle((response, content) -> content.asString()
					.defaultIfEmpty("")
					.map((text) -> new Sample(sequence, url, start, System.nanoTime(), response.status().code(),
							response.responseHeaders().get("Content-Type"),
							response.responseHeaders().get("Retry-After"), text)))
				.timeout(this.timeouts.apply(sequence))
				.onErrorResume((ex) -> Mono.just(new Sample(sequence, url, start, System.nanoTime(),
						(ex instanceof TimeoutException) ? CLIENT_TIMEOUT : NO_RESPONSE, null, null,
						String.valueOf(ex))))
				.doOnNext(this.samples::add);
		});
	}

	/**
	 * Stops sending; requests in flight are cancelled.
	 */
	void stop() {
		if (this.running != null) {
			this.running.dispose();
			this.running = null;
		}
	}

	@Override
	public void close() {
		stop();
		this.connections.dispose();
		this.loops.dispose();
	}

	List<Sample> samples() {
		List<Sample> all = new ArrayList<>(this.samples);
		all.sort((a, b) -> Long.compare(a.start(), b.start()));
		return all;
	}

	long dropped() {
		return this.dropped.get();
	}

	static List<Sample> startedBetween(List<Sample> samples, long from, long to) {
		return samples.stream().filter((sample) -> sample.start() >= from && sample.start() < to).toList();
	}

	static List<Sample> matching(List<Sample> samples, Predicate<Sample> condition) {
		return samples.stream().filter(condition).toList();
	}

	static Map<Integer, Long> statuses(List<Sample> samples) {
		return samples.stream()
			.collect(Collectors.groupingBy(Sample::status, java.util.TreeMap::new, Collectors.counting()));
	}

	static Histogram latencies(List<Sample> samples) {
		Histogram histogram = new Histogram(3);
		samples.forEach((sample) -> histogram.recordValue(Math.max(1, sample.latency().toNanos() / 1000)));
		return histogram;
	}

	/** The given percentile of the samples' latencies, in milliseconds. */
	static double percentileMillis(List<Sample> samples, double percentile) {
		return samples.isEmpty() ? 0 : latencies(samples).getValueAtPercentile(percentile) / 1000.0;
	}

	static double maxMillis(List<Sample> samples) {
		return samples.isEmpty() ? 0 : latencies(samples).getMaxValue() / 1000.0;
	}

	static long count(List<Sample> samples, LongPredicate status) {
		return samples.stream().filter((sample) -> status.test(sample.status())).count();
	}

	/**
	 * One request and what came back.
	 */
	record Sample(long sequence, String url, long start, long end, int status, String contentType, String retryAfter,
			String body) {

		Duration latency() {
			return Duration.ofNanos(this.end - this.start);
		}

		boolean ok() {
			return this.status >= 200 && this.status < 300;
		}

		@Override
		public String toString() {
			return this.status + " " + this.url + " in " + latency().toMillis() + " ms"
					+ ((this.contentType != null) ? " (" + this.contentType + ")" : "") + ": "
					+ ((this.body.length() > 200) ? this.body.substring(0, 200) + "…" : this.body);
		}

	}

}
