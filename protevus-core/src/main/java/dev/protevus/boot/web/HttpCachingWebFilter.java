package dev.protevus.boot.web;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.ETag;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.server.PathContainer;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebExchangeDecorator;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * HTTP caching headers for GET and HEAD: the configured {@code Cache-Control} of the
 * first matching path pattern on successful responses that have none, and a weak
 * {@code ETag} computed from JSON bodies, answering a matching {@code If-None-Match} with
 * 304 and no body.
 * <p>
 * To tag a body it must be held until it is complete, so only bodies up to
 * {@value #ETAG_BODY_LIMIT} bytes are tagged; a larger body is passed on as soon as it
 * crosses the limit, and streamed responses ({@code writeAndFlushWith}) are never held.
 *
 * @since 0.1.0
 */
public class HttpCachingWebFilter implements WebFilter, Ordered {

	/**
	 * Largest body that is tagged, in bytes.
	 */
	public static final int ETAG_BODY_LIMIT = 256 * 1024;

	private final List<CacheControlRule> cacheControl;

	private final boolean etag;

	/**
	 * Each thread's digest, reused from request to request: a request's body is hashed at
	 * once on one thread, and {@link MessageDigest#digest()} resets it.
	 */
	private final ThreadLocal<MessageDigest> digests;

	/**
	 * Creates the filter.
	 * @param cacheControl the Cache-Control rules, the first matching one applying
	 * @param etag whether to tag JSON bodies and answer matching If-None-Match with 304
	 */
	public HttpCachingWebFilter(List<CacheControlRule> cacheControl, boolean etag) {
		this.cacheControl = cacheControl;
		this.etag = etag;
		// Looked up once here: the first look-up may read security configuration from
		// disk.
		MessageDigest prototype = etag ? md5() : null;
		this.digests = etag ? ThreadLocal.withInitial(() -> copy(prototype)) : null;
	}

	@Override
	public int getOrder() {
		return WebFilterOrder.HTTP_CACHING;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		ServerHttpRequest request = exchange.getRequest();
		HttpMethod method = request.getMethod();
		if (!HttpMethod.GET.equals(method) && !HttpMethod.HEAD.equals(method)) {
			return chain.filter(exchange);
		}
		String cacheControl = cacheControlFor(request.getPath().pathWithinApplication());
		if (cacheControl == null && !this.etag) {
			return chain.filter(exchange);
		}
		return chain.filter(new CachingExchange(exchange, new CachingResponse(exchange, cacheControl)));
	}

	private String cacheControlFor(PathContainer path) {
		for (CacheControlRule rule : this.cacheControl) {
			if (rule.matches(path)) {
				return rule.value();
			}
		}
		return null;
	}

	private static MessageDigest copy(MessageDigest prototype) {
		try {
			return (MessageDigest) prototype.clone();
		}
		catch (CloneNotSupportedException ex) {
			return md5();
		}
	}

	private static MessageDigest md5() {
		try {
			return MessageDigest.getInstance("MD5");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("MD5 is required of every Java platform", ex);
		}
	}

	private static boolean isJson(MediaType type) {
		return "application".equals(type.getType())
				&& ("json".equals(type.getSubtype()) || type.getSubtype().endsWith("+json"));
	}

	/**
	 * The exchange as the handler sees it, with the caching response in place.
	 */
	private static final class CachingExchange extends ServerWebExchangeDecorator {

		private final ServerHttpResponse response;

		CachingExchange(ServerWebExchange delegate, ServerHttpResponse response) {
			super(delegate);
			this.response = response;
		}

		@Override
		public ServerHttpResponse getResponse() {
			return this.response;
		}

	}

	/**
	 * Adds the caching headers when the handler writes its response.
	 */
	private final class CachingResponse extends ServerHttpResponseDecorator {

		private final ServerHttpRequest request;

		private final String cacheControl;

		CachingResponse(ServerWebExchange exchange, String cacheControl) {
			super(exchange.getResponse());
			this.request = exchange.getRequest();
			this.cacheControl = cacheControl;
		}

		@Override
		public Mono<Void> writeWith(Publisher<? extends DataBuffer> body) {
			addCacheControl();
			if (!isTaggable()) {
				return super.writeWith(body);
			}
			if (body instanceof Mono<? extends DataBuffer> single) {
				return super.writeWith(single.mapNotNull(
						(buffer) -> (buffer.readableByteCount() > ETAG_BODY_LIMIT) || !isNotModified(List.of(buffer))
								? buffer : release(buffer)));
			}
			HeldBody held = new HeldBody();
			return super.writeWith(Flux.<DataBuffer>from(body)
				.bufferUntil(held)
				.concatMapIterable(held)
				.doOnDiscard(DataBuffer.class, DataBufferUtils::release));
		}

		@Override
		public Mono<Void> writeAndFlushWith(Publisher<? extends Publisher<? extends DataBuffer>> body) {
			addCacheControl();
			return super.writeAndFlushWith(body);
		}

		@Override
		public Mono<Void> setComplete() {
			addCacheControl();
			return super.setComplete();
		}

		private void addCacheControl() {
			if (this.cacheControl == null) {
				return;
			}
			HttpStatusCode status = getStatusCode();
			if ((status == null || status.is2xxSuccessful() || status.value() == HttpStatus.NOT_MODIFIED.value())
					&& getHeaders().getFirst(HttpHeaders.CACHE_CONTROL) == null) {
				getHeaders().set(HttpHeaders.CACHE_CONTROL, this.cacheControl);
			}
		}

		private boolean isTaggable() {
			if (!HttpCachingWebFilter.this.etag) {
				return false;
			}
			HttpStatusCode status = getStatusCode();
			HttpHeaders headers = getHeaders();
			if ((status != null && status.value() != HttpStatus.OK.value())
					|| headers.getFirst(HttpHeaders.ETAG) != null) {
				return false;
			}
			try {
				MediaType type = headers.getContentType();
				return type != null && isJson(type);
			}
			catch (InvalidMediaTypeException ex) {
				return false;
			}
		}

		/**
		 * Tags the response with the body's ETag and tells whether the client's copy is
		 * current, in which case the response becomes 304 without a body.
		 */
		private boolean isNotModified(List<? extends DataBuffer> body) {
			MessageDigest digest = HttpCachingWebFilter.this.digests.get();
			digest.reset();
			for (DataBuffer buffer : body) {
				try (DataBuffer.ByteBufferIterator chunks = buffer.readableByteBuffers()) {
					while (chunks.hasNext()) {
						digest.update(chunks.next());
					}
				}
			}
			String hash = HexFormat.of().formatHex(digest.digest());
			getHeaders().set(HttpHeaders.ETAG, "W/\"" + hash + "\"");
			// Only HttpHeaders methods that Spring Framework 6.2 and 7 both have:
			// Framework 7's
			// HttpHeaders is no longer a Map, so containsKey, get(Object) and
			// remove(Object) are gone.
			List<String> ifNoneMatch = this.request.getHeaders().getIfNoneMatch();
			ETag etag = new ETag(hash, true);
			for (String value : ifNoneMatch) {
				for (ETag candidate : ETag.parse(value)) {
					if (candidate.isWildcard() || candidate.compare(etag, false)) {
						setStatusCode(HttpStatus.NOT_MODIFIED);
						getHeaders().headerSet()
							.removeIf((header) -> HttpHeaders.CONTENT_LENGTH.equalsIgnoreCase(header.getKey()));
						return true;
					}
				}
			}
			return false;
		}

		private DataBuffer release(DataBuffer buffer) {
			DataBufferUtils.release(buffer);
			return null;
		}

		/**
		 * Holds the buffers of one body until it completes or crosses the limit.
		 * Buffering until the size crosses the limit emits everything held so far, then
		 * each later buffer on its own; a body within the limit is emitted whole when it
		 * completes.
		 */
		private final class HeldBody implements Predicate<DataBuffer>, Function<List<DataBuffer>, List<DataBuffer>> {

			private long size;

			private boolean tooLarge;

			private boolean first = true;

			@Override
			public boolean test(DataBuffer buffer) {
				if (!this.tooLarge) {
					this.size += buffer.readableByteCount();
					this.tooLarge = this.size > ETAG_BODY_LIMIT;
				}
				return this.tooLarge;
			}

			@Override
			public List<DataBuffer> apply(List<DataBuffer> buffers) {
				boolean whole = this.first && !this.tooLarge;
				this.first = false;
				if (!whole) {
					return buffers;
				}
				if (isNotModified(buffers)) {
					buffers.forEach(DataBufferUtils::release);
					return List.of();
				}
				getHeaders().setContentLength(this.size);
				return buffers;
			}

		}

	}

}
