package dev.protevus.boot.autoconfigure.web;

import java.util.List;

import dev.protevus.boot.autoconfigure.ProtevusAutoConfiguration;
import dev.protevus.boot.autoconfigure.web.WebTestApplication.Book;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.http.codec.CodecsAutoConfiguration;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.autoconfigure.web.reactive.HttpHandlerAutoConfiguration;
import org.springframework.boot.autoconfigure.web.reactive.WebFluxAutoConfiguration;
import org.springframework.boot.autoconfigure.web.reactive.error.ErrorWebFluxAutoConfiguration;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Cache-Control per path pattern and weak ETags computed from JSON bodies.
 */
class WebHttpCachingTests {

	private final ReactiveWebApplicationContextRunner contextRunner = new ReactiveWebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ProtevusAutoConfiguration.class, WebLayerAutoConfiguration.class,
				WebFluxAutoConfiguration.class, ErrorWebFluxAutoConfiguration.class, HttpHandlerAutoConfiguration.class,
				JacksonAutoConfiguration.class, CodecsAutoConfiguration.class))
		.withUserConfiguration(WebTestApplication.class)
		.withPropertyValues("protevus.web.cache-control[/books/**]=max-age=60, public",
				"protevus.web.cache-control[/own-cache-control]=max-age=5", "protevus.web.cache-control[/**]=no-cache",
				"protevus.web.etag=true");

	@Test
	void cacheControlOfTheFirstMatchingPatternGoesOnSuccessfulGetAndHead() {
		run((client) -> {
			client.get()
				.uri("/books/1")
				.exchange()
				.expectHeader()
				.valueEquals(HttpHeaders.CACHE_CONTROL, "max-age=60, public");
			client.head()
				.uri("/books/1")
				.exchange()
				.expectHeader()
				.valueEquals(HttpHeaders.CACHE_CONTROL, "max-age=60, public");
			client.get().uri("/text").exchange().expectHeader().valueEquals(HttpHeaders.CACHE_CONTROL, "no-cache");
		});
	}

	@Test
	void cacheControlStaysOffErrorsAndOtherMethods() {
		run((client) -> {
			client.get()
				.uri("/books/0")
				.exchange()
				.expectStatus()
				.isNotFound()
				.expectHeader()
				.doesNotExist(HttpHeaders.CACHE_CONTROL);
			client.get()
				.uri("/books/abc")
				.exchange()
				.expectStatus()
				.isBadRequest()
				.expectHeader()
				.doesNotExist(HttpHeaders.CACHE_CONTROL);
			client.post()
				.uri("/books")
				.contentType(MediaType.APPLICATION_JSON)
				.bodyValue(new Book("New"))
				.exchange()
				.expectStatus()
				.isOk()
				.expectHeader()
				.doesNotExist(HttpHeaders.CACHE_CONTROL)
				.expectHeader()
				.doesNotExist(HttpHeaders.ETAG);
		});
	}

	@Test
	void handlersOwnCacheControlWins() {
		run((client) -> client.get()
			.uri("/own-cache-control")
			.exchange()
			.expectHeader()
			.valueEquals(HttpHeaders.CACHE_CONTROL, "no-store"));
	}

	@Test
	void jsonBodyGetsAWeakETagAndAMatchingIfNoneMatchGets304WithoutABody() {
		run((client) -> {
			String etag = etag(client, "/books/1");
			assertThat(etag).matches("W/\"[0-9a-f]{32}\"");
			client.get()
				.uri("/books/1")
				.header(HttpHeaders.IF_NONE_MATCH, "\"other\", " + etag)
				.exchange()
				.expectStatus()
				.isNotModified()
				.expectHeader()
				.valueEquals(HttpHeaders.ETAG, etag)
				.expectHeader()
				.valueEquals(HttpHeaders.CACHE_CONTROL, "max-age=60, public")
				.expectBody()
				.isEmpty();
			// Weak comparison: the same tag sent as a strong one also matches.
			client.get()
				.uri("/books/1")
				.header(HttpHeaders.IF_NONE_MATCH, etag.substring(2))
				.exchange()
				.expectStatus()
				.isNotModified();
			client.get()
				.uri("/books/1")
				.header(HttpHeaders.IF_NONE_MATCH, "W/\"stale\"")
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody(Book.class)
				.isEqualTo(new Book("Book 1"));
		});
	}

	@Test
	void differentBodiesGetDifferentETagsAndHeadGetsTheSameAsGet() {
		run((client) -> {
			String etag = etag(client, "/books/1");
			assertThat(etag(client, "/books/2")).isNotEqualTo(etag);
			client.head().uri("/books/1").exchange().expectHeader().valueEquals(HttpHeaders.ETAG, etag);
		});
	}

	@Test
	void streamedJsonArrayWithinTheLimitIsTagged() {
		run((client) -> {
			String etag = etag(client, "/books?count=3");
			client.get()
				.uri("/books?count=3")
				.header(HttpHeaders.IF_NONE_MATCH, etag)
				.exchange()
				.expectStatus()
				.isNotModified()
				.expectBody()
				.isEmpty();
		});
	}

	@Test
	void bodyAboveTheLimitIsSentWholeWithoutAnETag() {
		run((client) -> client.get()
			.uri("/books?count=300&size=1000")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.doesNotExist(HttpHeaders.ETAG)
			.expectBodyList(Book.class)
			.hasSize(300)
			.value((books) -> assertThat(books).allSatisfy((book) -> assertThat(book.title()).hasSize(1000))));
	}

	@Test
	void onlyJsonIsTaggedAndTheHandlersOwnETagWins() {
		run((client) -> {
			client.get().uri("/text").exchange().expectHeader().doesNotExist(HttpHeaders.ETAG);
			client.get()
				.uri("/events")
				.accept(MediaType.TEXT_EVENT_STREAM)
				.exchange()
				.expectHeader()
				.doesNotExist(HttpHeaders.ETAG);
			client.get().uri("/own-etag").exchange().expectHeader().valueEquals(HttpHeaders.ETAG, "\"v7\"");
		});
	}

	@Test
	void etagsAreOffUnlessSwitchedOn() {
		this.contextRunner.withPropertyValues("protevus.web.etag=false")
			.run((context) -> WebTestClient.bindToApplicationContext(context)
				.build()
				.get()
				.uri("/books/1")
				.exchange()
				.expectHeader()
				.doesNotExist(HttpHeaders.ETAG)
				.expectHeader()
				.exists(HttpHeaders.CACHE_CONTROL));
	}

	private void run(java.util.function.Consumer<WebTestClient> test) {
		this.contextRunner.run((context) -> test.accept(WebTestClient.bindToApplicationContext(context).build()));
	}

	static String etag(WebTestClient client, String path) {
		List<String> etags = client.get()
			.uri(path)
			.exchange()
			.expectStatus()
			.isOk()
			.returnResult(String.class)
			.getResponseHeaders()
			.get(HttpHeaders.ETAG);
		assertThat(etags).hasSize(1);
		return etags.get(0);
	}

}
