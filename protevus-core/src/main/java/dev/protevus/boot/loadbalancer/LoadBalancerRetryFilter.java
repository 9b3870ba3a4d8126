package dev.protevus.boot.loadbalancer;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import io.github.resilience4j.reactor.retry.RetryOperator;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import reactor.core.publisher.Mono;
import reactor.util.context.ContextView;

import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import org.springframework.web.reactive.function.client.WebClientRequestException;

/**
 * Fails a load-balanced request over to another instance: placed before Spring Cloud
 * LoadBalancer's filter on a {@code @LoadBalanced WebClient}, it retries through a
 * resilience4j {@link Retry} (named {@code loadbalancer-<service>} in the
 * {@link RetryRegistry}) the requests whose method the service's settings allow (by
 * default the idempotent ones), on a failed connection, a connection closed before the
 * response, or a listed status. Each attempt chooses again and skips the instances
 * already tried while another is left.
 *
 * @since 0.1.0
 */
public class LoadBalancerRetryFilter implements ExchangeFilterFunction {

	private static final String TRIED_KEY = LoadBalancerRetryFilter.class.getName() + ".tried";

	private final Function<String, ServiceSettings> settings;

	private final RetryRegistry registry;

	private final Map<String, Retry> retries = new ConcurrentHashMap<>();

	/**
	 * Creates a filter.
	 * @param settings the settings of each service, by name
	 * @param registry where each service's retry is registered
	 */
	public LoadBalancerRetryFilter(Function<String, ServiceSettings> settings, RetryRegistry registry) {
		this.settings = settings;
		this.registry = registry;
	}

	/**
	 * The instances, as {@code host:port}, that the request being chosen for was already
	 * sent to.
	 * @param context the Reactor context of the choice
	 * @return the instances tried
	 */
	public static Set<String> tried(ContextView context) {
		return context.getOrDefault(TRIED_KEY, Set.of());
	}

	@Override
	public Mono<ClientResponse> filter(ClientRequest request, ExchangeFunction original) {
		String serviceId = request.url().getHost();
		if (serviceId == null) {
			return original.exchange(request);
		}
		ExchangeFunction next = (attempt) -> counted(attempt, original);
		ServiceSettings.Retry settings = this.settings.apply(serviceId).retry();
		if (!settings.enabled() || settings.maxAttempts() < 2
				|| !settings.methods().contains(request.method().name())) {
			return next.exchange(request);
		}
		Retry retry = this.retries.computeIfAbsent(serviceId,
				(id) -> this.registry.retry("loadbalancer-" + id,
						() -> RetryConfig.custom()
							.maxAttempts(settings.maxAttempts())
							.waitDuration(java.time.Duration.ZERO)
							.retryOnException((failure) -> retryable(failure, settings))
							.build()));
		Set<String> tried = ConcurrentHashMap.newKeySet();
		AtomicInteger attempts = new AtomicInteger();
		int maxAttempts = retry.getRetryConfig().getMaxAttempts();
		return Mono.defer(() -> {
			int attempt = attempts.incrementAndGet();
			return next.exchange(request).doOnError((failure) -> {
				if (failure instanceof WebClientRequestException requestFailure) {
					tried.add(hostPort(requestFailure.getUri()));
				}
			}).flatMap((response) -> {
				if (attempt < maxAttempts && settings.statuses().contains(response.statusCode().value())) {
					tried.add(hostPort(response.request().getURI()));
					return response.releaseBody().then(Mono.error(new RetryableStatusException()));
				}
				return Mono.just(response);
			});
		}).transformDeferred(RetryOperator.of(retry)).contextWrite((context) -> context.put(TRIED_KEY, tried));
	}

	/**
	 * Sends one attempt with its own {@link InFlightRequest}, ended if the caller cancels
	 * before Spring Cloud LoadBalancer reports the attempt complete.
	 */
	private static Mono<ClientResponse> counted(ClientRequest request, ExchangeFunction next) {
		return Mono.defer(() -> {
			InFlightRequest inFlight = new InFlightRequest();
			return next.exchange(ClientRequest.from(request).attribute(InFlightRequest.ATTRIBUTE, inFlight).build())
				.doOnCancel(inFlight::end);
		});
	}

	private static String hostPort(URI uri) {
		return uri.getHost() + ":" + uri.getPort();
	}

	static boolean retryable(Throwable failure, ServiceSettings.Retry settings) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof RetryableStatusException) {
				return true;
			}
			if (cause instanceof ConnectException) {
				return settings.connectFailure();
			}
			if (cause instanceof IOException) {
				return settings.reset();
			}
			if (cause == cause.getCause()) {
				break;
			}
		}
		return false;
	}

	/**
	 * A response whose status asks for another attempt.
	 */
	static final class RetryableStatusException extends RuntimeException {

		RetryableStatusException() {
			super("Retryable status", null, false, false);
		}

	}

}
