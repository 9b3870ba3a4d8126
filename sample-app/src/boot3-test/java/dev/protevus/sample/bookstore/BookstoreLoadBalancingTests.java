package dev.protevus.sample.bookstore;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.reactive.context.ReactiveWebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample's load-balanced {@code pricing} call, and its {@code edge} profile routing
 * {@code /api/**} over two instances of the sample with Spring Cloud Gateway.
 */
class BookstoreLoadBalancingTests {

	private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

	@AfterEach
	void close() {
		this.contexts.forEach(ConfigurableApplicationContext::close);
	}

	@Test
	void quoteComesFromThePricingServiceThroughTheLoadBalancer() {
		int port = start();
		WebTestClient client = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).build();
		client.get()
			.uri("/books/1/quote")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.bookId")
			.isEqualTo(1)
			.jsonPath("$.servedBy")
			.isEqualTo("port " + port);
		client.get().uri("/books/999999/quote").exchange().expectStatus().isNotFound();
	}

	@Test
	void edgeProfileSendsEachClientToOneInstanceOfTheSample() {
		int first = start();
		int second = start();
		int edge = start("--spring.profiles.active=edge", "--protevus.loadbalancer.services.bookstore.instances="
				+ "http://127.0.0.1:" + first + ",http://127.0.0.1:" + second);
		WebTestClient client = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + edge).build();
		Set<String> servedBy = new HashSet<>();
		for (int i = 0; i < 10; i++) {
			Map<?, ?> quote = client.get()
				.uri("/api/books/1/quote")
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody(Map.class)
				.returnResult()
				.getResponseBody();
			servedBy.add(String.valueOf(quote.get("servedBy")));
		}
		assertThat(servedBy).hasSize(1).containsAnyOf("port " + first, "port " + second);
	}

	private int start(String... args) {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(BookstoreApplication.class)
			.properties("server.port=0", "spring.main.banner-mode=off", "server.shutdown=immediate")
			.run(args);
		this.contexts.add(context);
		return ((ReactiveWebServerApplicationContext) context).getWebServer().getPort();
	}

}
