package dev.protevus.boot.scaling;

import java.net.URI;
import java.time.Duration;

import io.github.resilience4j.reactor.retry.RetryOperator;
import io.github.resilience4j.retry.Retry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import org.springframework.context.ApplicationListener;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * POSTs the {@link ScalingReport} to a URL each time the recommendation changes. Never on
 * a request's path: the change event is handed over at once and the post runs on
 * WebClient's non-blocking I/O, each attempt bounded by a timeout and retried with a
 * resilience4j {@link Retry}. Posts go one at a time, in order; while one is under way
 * only the latest change waits, so a dead webhook holds one report, not a growing queue.
 *
 * @since 0.1.0
 */
public class ScalingWebhook implements ApplicationListener<ScalingRecommendationChangedEvent>, Disposable {

	private static final Log logger = LogFactory.getLog(ScalingWebhook.class);

	private final WebClient client;

	private final URI url;

	private final Duration timeout;

	private final Retry retry;

	private final Sinks.Many<ScalingReport> reports = Sinks.many().unicast().onBackpressureBuffer();

	private final Disposable posting;

	/**
	 * Creates a webhook.
	 * @param client the client that posts
	 * @param url where to post
	 * @param timeout how long one attempt may take
	 * @param retry how failed attempts are retried
	 */
	public ScalingWebhook(WebClient client, URI url, Duration timeout, Retry retry) {
		this.client = client;
		this.url = url;
		this.timeout = timeout;
		this.retry = retry;
		this.posting = this.reports.asFlux().onBackpressureLatest().concatMap(this::post, 0).subscribe();
	}

	@Override
	public void onApplicationEvent(ScalingRecommendationChangedEvent event) {
		Sinks.EmitResult result = this.reports.tryEmitNext(ScalingReport.of(event.getRecommendation()));
		if (result.isFailure()) {
			logger.debug("Scaling webhook skipped a change: " + result);
		}
	}

	/**
	 * Posts one report: the timeout bounds each attempt, the retry repeats failed ones.
	 * @param report the report
	 * @return completes when posted or given up
	 */
	Mono<Void> post(ScalingReport report) {
		return this.client.post()
			.uri(this.url)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(report)
			.retrieve()
			.toBodilessEntity()
			.timeout(this.timeout)
			.transformDeferred(RetryOperator.of(this.retry))
			.then()
			.onErrorResume((ex) -> {
				logger.warn("Scaling webhook " + this.url + " failed after "
						+ this.retry.getRetryConfig().getMaxAttempts() + " attempts: " + ex);
				return Mono.empty();
			});
	}

	@Override
	public void dispose() {
		this.posting.dispose();
	}

	@Override
	public boolean isDisposed() {
		return this.posting.isDisposed();
	}

}
