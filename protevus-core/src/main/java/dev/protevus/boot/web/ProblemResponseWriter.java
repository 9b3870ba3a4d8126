package dev.protevus.boot.web;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Map;

import reactor.core.publisher.Mono;

import org.springframework.core.ResolvableType;
import org.springframework.core.codec.Hints;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.codec.HttpMessageWriter;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.lang.Nullable;
import org.springframework.web.server.ServerWebExchange;

/**
 * Writes a {@link ProblemDetail} to an exchange as an RFC 9457
 * {@code application/problem+json} response, with the application's own JSON codec. Every
 * Protevus answer that is not the handler's (rejections, time-outs, mapped exceptions)
 * goes through it, so all of them look the same; applications can use it in their own
 * filters and exception handlers.
 *
 * @since 0.1.0
 */
public final class ProblemResponseWriter {

	private static final ResolvableType PROBLEM_DETAIL = ResolvableType.forClass(ProblemDetail.class);

	@Nullable
	private final HttpMessageWriter<ProblemDetail> writer;

	/**
	 * Creates a writer that encodes with the first of the server's codecs that can write
	 * problem details as {@code application/problem+json}.
	 * @param codecs the server's codecs
	 */
	@SuppressWarnings("unchecked")
	public ProblemResponseWriter(ServerCodecConfigurer codecs) {
		this.writer = (HttpMessageWriter<ProblemDetail>) codecs.getWriters()
			.stream()
			.filter((candidate) -> candidate.canWrite(PROBLEM_DETAIL, MediaType.APPLICATION_PROBLEM_JSON))
			.findFirst()
			.orElse(null);
	}

	/**
	 * Answers the exchange with the problem. Sets the problem's {@code instance} to the
	 * request path unless it has one, and the response status to the problem's status.
	 * @param exchange the exchange, whose response must not be committed
	 * @param problem the problem to answer with
	 * @return completes when the response is written
	 */
	public Mono<Void> write(ServerWebExchange exchange, ProblemDetail problem) {
		return write(exchange, problem, null);
	}

	/**
	 * Answers the exchange with the problem and extra headers, such as
	 * {@code Retry-After} or {@code Allow}. Content headers that the handler may have set
	 * before it failed are removed; other headers already on the response stay.
	 * @param exchange the exchange, whose response must not be committed
	 * @param problem the problem to answer with
	 * @param headers headers to add to the response, or {@code null}
	 * @return completes when the response is written
	 */
	public Mono<Void> write(ServerWebExchange exchange, ProblemDetail problem, @Nullable HttpHeaders headers) {
		if (problem.getInstance() == null) {
			problem.setInstance(instance(exchange.getRequest()));
		}
		if (problem.getType() == null) {
			problem.setType(Problem.BLANK_TYPE);
		}
		ServerHttpResponse response = exchange.getResponse();
		response.setStatusCode(HttpStatusCode.valueOf(problem.getStatus()));
		HttpHeaders responseHeaders = response.getHeaders();
		responseHeaders.clearContentHeaders();
		if (headers != null) {
			// Each header replaced, with methods Spring Framework 6.2 and 7 both have:
			// Framework 7's HttpHeaders is no longer a Map, which putAll(Map) needs.
			headers.forEach((name, values) -> {
				responseHeaders.headerSet().removeIf((header) -> header.getKey().equalsIgnoreCase(name));
				responseHeaders.addAll(name, values);
			});
		}
		responseHeaders.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
		if (this.writer == null) {
			// No JSON codec: the status and headers still say what happened.
			return response.setComplete();
		}
		Map<String, Object> hints = Hints.from(Hints.LOG_PREFIX_HINT, exchange.getLogPrefix());
		return this.writer.write(Mono.just(problem), PROBLEM_DETAIL, MediaType.APPLICATION_PROBLEM_JSON, response,
				hints);
	}

	/**
	 * Headers that ask the client to come back after a delay: {@code Retry-After} in
	 * whole seconds, rounded up and at least one.
	 * @param delay how long the client should wait
	 * @return new headers holding {@code Retry-After}
	 */
	public static HttpHeaders retryAfter(Duration delay) {
		HttpHeaders headers = new HttpHeaders();
		headers.set(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, (delay.toMillis() + 999) / 1000)));
		return headers;
	}

	@Nullable
	private static URI instance(ServerHttpRequest request) {
		String path = request.getPath().value();
		try {
			return new URI(path);
		}
		catch (URISyntaxException ex) {
			try {
				// Quotes what a client sent unencoded, such as spaces or braces.
				return new URI(null, null, path, null);
			}
			catch (URISyntaxException unusable) {
				return null;
			}
		}
	}

}
