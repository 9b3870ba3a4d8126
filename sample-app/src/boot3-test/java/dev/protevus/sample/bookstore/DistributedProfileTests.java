package dev.protevus.sample.bookstore;

import dev.protevus.boot.test.WithTestPostgres;
import dev.protevus.boot.test.WithTestRedis;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.r2dbc.init.R2dbcScriptDatabaseInitializer;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.session.ReactiveSessionRepository;
import org.springframework.session.data.redis.ReactiveRedisSessionRepository;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample's {@code distributed} profile on real PostgreSQL and Redis from
 * protevus-spring-boot-test.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("distributed")
@WithTestPostgres
@WithTestRedis
class DistributedProfileTests {

	@Autowired
	private WebTestClient client;

	@Autowired
	private R2dbcScriptDatabaseInitializer initializer;

	@Autowired
	private ReactiveSessionRepository<?> sessions;

	@Autowired
	private ReactiveStringRedisTemplate redis;

	@Test
	void servesSeededAuthorsFromPostgres() {
		this.client.get()
			.uri("/authors")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.length()")
			.isEqualTo(40);
	}

	@Test
	void seedScriptsAreIdempotent() {
		this.initializer.initializeDatabase();
		this.client.get().uri("/authors").exchange().expectBody().jsonPath("$.length()").isEqualTo(40);
		this.client.get().uri("/books/200").exchange().expectStatus().isOk();
		this.client.get().uri("/authors/40/books").exchange().expectBody().jsonPath("$.length()").isEqualTo(5);
	}

	@Test
	void booksAreCachedInMemoryAndRedis() {
		this.client.get().uri("/books/3").exchange().expectStatus().isOk();
		this.client.get()
			.uri("/actuator/cachetiers/books")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.tiers")
			.isEqualTo(java.util.List.of("memory", "redis"))
			.jsonPath("$.redisCircuitBreaker")
			.isEqualTo("CLOSED");
		org.awaitility.Awaitility.await()
			.untilAsserted(() -> this.client.get()
				.uri("/actuator/cachetiers/books")
				.exchange()
				.expectBody()
				.jsonPath("$.statistics.redis.size")
				.value((size) -> org.assertj.core.api.Assertions.assertThat(((Number) size).intValue()).isPositive()));
	}

	@Test
	void relationsPagesAndBatchesWorkOnPostgres() {
		this.client.get()
			.uri("/authors?include=books,books.reviews")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$[0].books[0].reviews.length()")
			.isEqualTo(2);
		this.client.get().uri("/authors/2/books").exchange().expectBody().jsonPath("$.length()").isEqualTo(5);
		this.client.get()
			.uri("/books?limit=7")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.items.length()")
			.isEqualTo(7)
			.jsonPath("$.next")
			.isNotEmpty();
		this.client.post()
			.uri("/books/batch")
			.bodyValue(java.util.List.of(java.util.Map.of("authorId", 1, "title", "On Postgres")))
			.exchange()
			.expectStatus()
			.isCreated();
	}

	@Test
	void sessionsLiveInRedisUnderTheApplicationsPrefix() {
		assertThat(this.sessions).isInstanceOf(ReactiveRedisSessionRepository.class);
		String session = this.client.post()
			.uri("/cart/items")
			.bodyValue(java.util.Map.of("bookId", 5))
			.exchange()
			.expectStatus()
			.isOk()
			.returnResult(Void.class)
			.getResponseCookies()
			.getFirst("SESSION")
			.getValue();
		// WebFlux's session cookie holds the session id as it is.
		assertThat(this.redis.hasKey("bookstore:session:sessions:" + session).block()).isTrue();
		this.client.get()
			.uri("/cart")
			.cookie("SESSION", session)
			.exchange()
			.expectBody()
			.jsonPath("$.bookIds")
			.isEqualTo(java.util.List.of(5));
	}

	@Test
	void reviewsGoThroughTheRedisQueue() {
		this.client.post()
			.uri("/books/4/reviews")
			.bodyValue(java.util.Map.of("rating", 2, "text", "Through Redis."))
			.exchange()
			.expectStatus()
			.isAccepted();
		org.awaitility.Awaitility.await()
			.untilAsserted(() -> this.client.get()
				.uri("/books/4/reviews")
				.exchange()
				.expectBody()
				.jsonPath("$[?(@.body == 'Through Redis.')]")
				.value((matches) -> assertThat((java.util.List<?>) matches).hasSize(1)));
		assertThat(this.redis.hasKey("queue:{review-submitted}").block()).isTrue();
	}

	@Test
	void healthReportsPostgresAndRedisUp() {
		this.client.get()
			.uri("/actuator/health")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("UP")
			.jsonPath("$.components.r2dbc.status")
			.isEqualTo("UP")
			.jsonPath("$.components.redis.status")
			.isEqualTo("UP");
	}

}
