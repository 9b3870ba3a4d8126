package dev.protevus.sample.bookstore;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import dev.protevus.boot.async.WorkerPools;
import dev.protevus.boot.data.PoolUtilization;
import dev.protevus.boot.queue.Job;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentMatchers;
import org.mockito.Mockito;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;
import org.springframework.test.util.AopTestUtils;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample on its embedded defaults: in-memory H2 behind r2dbc-pool, no Redis, books
 * cached in memory and files (a fresh directory per run). Metrics export is on, as in
 * production, so that the Prometheus endpoint exists.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "protevus.cache.file.directory=${java.io.tmpdir}/protevus-sample-test-${random.uuid}",
				"spring.r2dbc.pool.max-acquire-time=1s" })
@SampleServerTest
class BookstoreApplicationTests {

	@Autowired
	private WebTestClient client;

	@Autowired
	private ConnectionFactory connectionFactory;

	@Autowired
	private PoolUtilization pool;

	@Autowired
	private WorkerPools workerPools;

	@Autowired
	private ReviewListener reviewListener;

	@MockitoSpyBean
	private AuthorReports reports;

	@Value("${protevus.async.pools.reports.threads}")
	private int reportsThreads;

	@Value("${protevus.async.pools.reports.queue-capacity}")
	private int reportsQueueCapacity;

	@Test
	void listsTheSeededAuthorsInIdOrder() {
		this.client.get()
			.uri("/authors")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
			.expectBody()
			.jsonPath("$.length()")
			.isEqualTo(40)
			.jsonPath("$[0].id")
			.isEqualTo(1)
			.jsonPath("$[0].name")
			.isEqualTo("Author 1")
			.jsonPath("$[39].name")
			.isEqualTo("Author 40");
	}

	@Test
	void getsOneAuthor() {
		this.client.get()
			.uri("/authors/2")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.name")
			.isEqualTo("Author 2")
			.jsonPath("$.country")
			.isEqualTo("France");
	}

	@Test
	void unknownAuthorIsA404Problem() {
		expectProblem(this.client.get().uri("/authors/99999").exchange(), 404).jsonPath("$.detail")
			.isEqualTo("No author with id 99999")
			.jsonPath("$.instance")
			.isEqualTo("/authors/99999");
	}

	@Test
	void getsOneBookWithItsAuthorId() {
		this.client.get()
			.uri("/books/6")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.authorId")
			.isEqualTo(2)
			.jsonPath("$.title")
			.isEqualTo("The Quiet River")
			.jsonPath("$.isbn")
			.isEqualTo("978-000000021");
	}

	@Test
	void unknownBookIsA404Problem() {
		expectProblem(this.client.get().uri("/books/99999").exchange(), 404).jsonPath("$.detail")
			.isEqualTo("No book with id 99999");
	}

	@Test
	void nonNumericIdIsA400Problem() {
		expectProblem(this.client.get().uri("/books/abc").exchange(), 400);
	}

	@Test
	void createsABookAndServesItAtItsLocation() {
		String location = this.client.post()
			.uri("/books")
			.bodyValue(Map.of("authorId", 3, "title", "  Night Trains  ", "isbn", "978-1-4028-9462-6", "publishedYear",
					2024, "price", 19.5))
			.exchange()
			.expectStatus()
			.isCreated()
			.expectBody()
			.jsonPath("$.title")
			.isEqualTo("Night Trains")
			.returnResult()
			.getResponseHeaders()
			.getFirst(HttpHeaders.LOCATION);
		assertThat(location).matches("/books/\\d+");
		this.client.get()
			.uri(location)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.authorId")
			.isEqualTo(3)
			.jsonPath("$.price")
			.isEqualTo(19.5);
	}

	@Test
	void invalidBookIsA400Problem() {
		expectProblem(this.client.post()
			.uri("/books")
			.bodyValue(Map.of("authorId", -1, "title", " ", "publishedYear", 3000))
			.exchange(), 400);
	}

	@Test
	void malformedJsonIsA400Problem() {
		expectProblem(this.client.post()
			.uri("/books")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"authorId\": 1, \"title\": ")
			.exchange(), 400);
	}

	@Test
	void valueOfTheWrongJsonTypeIsA400ProblemNotAConversion() {
		expectProblem(this.client.post()
			.uri("/books")
			.bodyValue(Map.of("authorId", "1", "title", "Quoted Number"))
			.exchange(), 400);
		expectProblem(this.client.post().uri("/books").bodyValue(Map.of("authorId", 1, "title", 5)).exchange(), 400);
		expectProblem(this.client.post()
			.uri("/books")
			.bodyValue(Map.of("authorId", 1, "title", "Half", "publishedYear", 2000.5))
			.exchange(), 400);
	}

	@Test
	void trailingContentAfterTheJsonIsA400Problem() {
		expectProblem(this.client.post()
			.uri("/books")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"authorId\": 1, \"title\": \"Twice\"}}")
			.exchange(), 400);
	}

	@Test
	void priceInExponentNotationIsStoredWithTwoDecimals() {
		this.client.post()
			.uri("/books")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"authorId\": 2, \"title\": \"A Hundred\", \"price\": 1e2}")
			.exchange()
			.expectStatus()
			.isCreated()
			.expectBody()
			.jsonPath("$.price")
			.isEqualTo(100.0);
	}

	@Test
	void nonPositiveIdIsA400Problem() {
		expectProblem(this.client.get().uri("/books/0").exchange(), 400);
		expectProblem(this.client.get().uri("/authors/-3").exchange(), 400);
	}

	@Test
	void bookOfAnUnknownAuthorIsA400Problem() {
		expectProblem(
				this.client.post().uri("/books").bodyValue(Map.of("authorId", 99999, "title", "Orphan")).exchange(),
				400)
			.jsonPath("$.detail")
			.isEqualTo("No author with id 99999");
	}

	@Test
	void duplicateIsbnIsA409Problem() {
		expectProblem(this.client.post()
			.uri("/books")
			.bodyValue(Map.of("authorId", 1, "title", "Copy", "isbn", "978-000000011"))
			.exchange(), 409);
	}

	@Test
	void bookReadsAreCachedInMemoryAndFiles() {
		this.client.get().uri("/books/7").exchange().expectStatus().isOk();
		this.client.get().uri("/books/7").exchange().expectStatus().isOk();
		this.client.get()
			.uri("/actuator/cachetiers/books")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.tiers")
			.isEqualTo(java.util.List.of("memory", "file"))
			.jsonPath("$.ttl")
			.isEqualTo("PT5M")
			.jsonPath("$.statistics.memory.hits")
			.value((hits) -> assertThat(((Number) hits).intValue()).isPositive())
			.jsonPath("$.statistics.file.puts")
			.value((puts) -> assertThat(((Number) puts).intValue()).isPositive());
	}

	@Test
	void cacheTiersEndpointClearsACacheAndKnowsOnlyExistingOnes() {
		this.client.get().uri("/books/9").exchange().expectStatus().isOk();
		this.client.delete().uri("/actuator/cachetiers/books").exchange().expectStatus().isNoContent();
		this.client.get()
			.uri("/actuator/cachetiers/books")
			.exchange()
			.expectBody()
			.jsonPath("$.statistics.memory.size")
			.isEqualTo(0);
		this.client.get().uri("/actuator/cachetiers/nope").exchange().expectStatus().isNotFound();
		this.client.delete().uri("/actuator/cachetiers/nope").exchange().expectStatus().isNotFound();
		this.client.get()
			.uri("/actuator/cachetiers")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.caches.books.tiers[0]")
			.isEqualTo("memory");
	}

	@Test
	void springBootsCachesEndpointListsProtevusCaches() {
		this.client.get()
			.uri("/actuator/caches")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.cacheManagers.cacheManager.caches.books.target")
			.isEqualTo("dev.protevus.boot.cache.TieredCache");
	}

	@Test
	void replacingABookEvictsItFromTheCache() {
		this.client.get()
			.uri("/books/8")
			.exchange()
			.expectBody()
			.jsonPath("$.title")
			.isEqualTo("A Map of Small Things");
		this.client.put()
			.uri("/books/8")
			.bodyValue(Map.of("authorId", 2, "title", "A Map of Larger Things", "isbn", "978-000000023"))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.id")
			.isEqualTo(8);
		this.client.get()
			.uri("/books/8")
			.exchange()
			.expectBody()
			.jsonPath("$.title")
			.isEqualTo("A Map of Larger Things");
	}

	@Test
	void replacingAnUnknownBookIsA404Problem() {
		expectProblem(
				this.client.put().uri("/books/99999").bodyValue(Map.of("authorId", 1, "title", "Nothing")).exchange(),
				404);
	}

	@Test
	void invalidReplacementIsA400Problem() {
		expectProblem(this.client.put().uri("/books/1").bodyValue(Map.of("authorId", 1, "title", "")).exchange(), 400);
	}

	@Test
	void unknownBooksAreNotCached() {
		this.client.get().uri("/books/5000").exchange().expectStatus().isNotFound();
		String location = this.client.post()
			.uri("/books")
			.bodyValue(Map.of("authorId", 4, "title", "Late Arrival"))
			.exchange()
			.expectStatus()
			.isCreated()
			.returnResult(Void.class)
			.getResponseHeaders()
			.getFirst(HttpHeaders.LOCATION);
		this.client.get().uri(location).exchange().expectStatus().isOk();
	}

	@Test
	void submittedReviewIsAcceptedAsAJobThenStoredAndTheCachedBookShowsTheNewAverage() {
		String book = this.client.post()
			.uri("/books")
			.bodyValue(Map.of("authorId", 5, "title", "Reviewed Later"))
			.exchange()
			.expectStatus()
			.isCreated()
			.returnResult(Void.class)
			.getResponseHeaders()
			.getFirst(HttpHeaders.LOCATION);
		// Cached now, without an average: within the cache's 5 minutes only the
		// listener's eviction can show the new one.
		this.client.get().uri(book).exchange().expectBody().jsonPath("$.averageRating").doesNotExist();
		this.client.get().uri(book).exchange().expectBody().jsonPath("$.averageRating").doesNotExist();
		submitReview(book, 5, "Five stars.\nWould read again.");
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> this.client.get()
				.uri(book)
				.exchange()
				.expectBody()
				.jsonPath("$.averageRating")
				.isEqualTo(5.0));
		submitReview(book, 2, "Not for me.");
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> this.client.get()
				.uri(book)
				.exchange()
				.expectBody()
				.jsonPath("$.averageRating")
				.isEqualTo(3.5));
		// A replacement writes no average: the column is the listener's alone.
		this.client.put()
			.uri(book)
			.bodyValue(Map.of("authorId", 5, "title", "Reviewed Later, Revised"))
			.exchange()
			.expectStatus()
			.isOk();
		this.client.get().uri(book).exchange().expectBody().jsonPath("$.averageRating").isEqualTo(3.5);
		this.client.get()
			.uri(book + "/reviews")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$[*].rating")
			.isEqualTo(List.of(5, 2))
			.jsonPath("$[0].body")
			.isEqualTo("Five stars.\nWould read again.");
	}

	@Test
	void aReviewJobDeliveredTwiceStoresOneReview() {
		Job job = new Job("00000000-0000-0000-0000-00000000002a", "review-submitted", 1, Instant.now());
		ReviewSubmitted review = new ReviewSubmitted(30, 1, "Delivered twice.");
		this.reviewListener.store(review, job).block(Duration.ofSeconds(10));
		this.reviewListener.store(review, job).block(Duration.ofSeconds(10));
		this.client.get()
			.uri("/books/30/reviews")
			.exchange()
			.expectBody()
			.jsonPath("$[?(@.body == 'Delivered twice.')]")
			.value((matches) -> assertThat((List<?>) matches).hasSize(1));
	}

	@Test
	void seededBooksHaveTheAverageOfTheirSeededReviews() {
		// Book 46's reviews rate it 3 and 4 (data.sql).
		this.client.get().uri("/books/46").exchange().expectBody().jsonPath("$.averageRating").isEqualTo(3.5);
	}

	@Test
	void reviewOfAnUnknownBookIsA404Problem() {
		expectProblem(this.client.post()
			.uri("/books/99999/reviews")
			.bodyValue(Map.of("rating", 4, "text", "Lost."))
			.exchange(), 404).jsonPath("$.detail").isEqualTo("No book with id 99999");
		expectProblem(this.client.get().uri("/books/99999/reviews").exchange(), 404);
	}

	@Test
	void invalidReviewIsA400Problem() {
		for (Map<String, Object> body : List.<Map<String, Object>>of(Map.of("rating", 0, "text", "Zero"),
				Map.of("rating", 6, "text", "Six"), Map.of("text", "No rating"), Map.of("rating", 3),
				Map.of("rating", 3, "text", "  "), Map.of("rating", "5", "text", "Quoted"),
				Map.of("rating", 4.5, "text", "Half"), Map.of("rating", 3, "text", "x".repeat(2001)),
				Map.of("rating", 3, "text", "nul\0"))) {
			expectProblem(this.client.post().uri("/books/1/reviews").bodyValue(body).exchange(), 400);
		}
		expectProblem(
				this.client.post().uri("/books/0/reviews").bodyValue(Map.of("rating", 3, "text", "Zero id")).exchange(),
				400);
	}

	private void submitReview(String book, int rating, String text) {
		this.client.post()
			.uri(book + "/reviews")
			.bodyValue(Map.of("rating", rating, "text", text))
			.exchange()
			.expectStatus()
			.isAccepted()
			.expectBody()
			.jsonPath("$.jobId")
			.value((id) -> assertThat((String) id).isNotBlank());
	}

	@Test
	void cartKeepsItsBooksInTheSession() {
		String cookie = this.client.post()
			.uri("/cart/items")
			.bodyValue(Map.of("bookId", 3))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.bookIds")
			.isEqualTo(List.of(3))
			.returnResult()
			.getResponseCookies()
			.getFirst("SESSION")
			.getValue();
		this.client.post()
			.uri("/cart/items")
			.cookie("SESSION", cookie)
			.bodyValue(Map.of("bookId", 4))
			.exchange()
			.expectStatus()
			.isOk();
		this.client.get()
			.uri("/cart")
			.cookie("SESSION", cookie)
			.exchange()
			.expectBody()
			.jsonPath("$.bookIds")
			.isEqualTo(List.of(3, 4));
		this.client.get().uri("/cart").exchange().expectBody().jsonPath("$.bookIds").isEmpty();
		expectProblem(this.client.post().uri("/cart/items").bodyValue(Map.of("bookId", 99999)).exchange(), 400);
		expectProblem(this.client.post().uri("/cart/items").bodyValue(Map.of("bookId", 0)).exchange(), 400);
	}

	@Test
	void exhaustedPoolAnswers503ProblemWithRetryAfterAndRecovers() {
		List<Connection> held = Flux.range(0, this.pool.maxSize())
			.concatMap((i) -> Mono.<Connection>from(this.connectionFactory.create()))
			.collectList()
			.block(Duration.ofSeconds(10));
		try {
			expectProblem(this.client.get().uri("/authors").exchange(), 503).jsonPath("$.detail")
				.value((detail) -> assertThat((String) detail).contains("database"));
			this.client.get().uri("/authors/1").exchange().expectHeader().valueEquals(HttpHeaders.RETRY_AFTER, "1");
		}
		finally {
			Flux.fromIterable(held).concatMap(Connection::close).blockLast(Duration.ofSeconds(10));
		}
		assertThat(this.pool.acquired()).isZero();
		this.client.get().uri("/authors/1").exchange().expectStatus().isOk();
	}

	@Test
	void authorReportSumsUpTheAuthorsBooksAndTheirReviews() {
		// Author 10's books are 46 to 50 (data.sql); their reviews rate them 3 and 4, 4
		// and 5, 5 and 1,
		// 1 and 2, 2 and 3.
		this.client.get()
			.uri("/authors/10/report")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.name")
			.isEqualTo("Author 10")
			.jsonPath("$.books")
			.isEqualTo(5)
			.jsonPath("$.reviews")
			.isEqualTo(10)
			.jsonPath("$.averageRating")
			.isEqualTo(3.0)
			.jsonPath("$.ratings")
			.isEqualTo(Map.of("1", 2, "2", 2, "3", 2, "4", 2, "5", 2))
			.jsonPath("$.firstPublished")
			.isEqualTo(1951)
			.jsonPath("$.lastPublished")
			.isEqualTo(2023)
			.jsonPath("$.medianPrice")
			.isEqualTo(29.99)
			.jsonPath("$.ranking[*].id")
			.isEqualTo(List.of(47, 46, 48, 50, 49))
			.jsonPath("$.ranking[0].title")
			.isEqualTo("Letters from Nowhere")
			.jsonPath("$.ranking[0].averageRating")
			.isEqualTo(4.5);
	}

	@Test
	void authorReportIsComputedOnTheReportsPool() {
		List<String> threads = new CopyOnWriteArrayList<>();
		// The spy is the target of @Offload's proxy: it sees the call where the proxy
		// makes it.
		AuthorReports spy = AopTestUtils.getUltimateTargetObject(this.reports);
		Mockito.doAnswer((invocation) -> {
			threads.add(Thread.currentThread().getName());
			return invocation.callRealMethod();
		}).when(spy).report(ArgumentMatchers.any());
		this.client.get().uri("/authors/11/report").exchange().expectStatus().isOk();
		assertThat(threads).singleElement(InstanceOfAssertFactories.STRING).startsWith("protevus-reports-");
	}

	@Test
	void fullReportsPoolAnswers503ProblemWithRetryAfterAtOnceAndRecovers() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		// Every thread of the pool busy and every place in its queue taken, until
		// released.
		List<CompletableFuture<Boolean>> held = IntStream.range(0, this.reportsThreads + this.reportsQueueCapacity)
			.mapToObj((i) -> this.workerPools.offload("reports", () -> release.await(10, TimeUnit.SECONDS)).toFuture())
			.toList();
		try {
			// A full pool refuses at once rather than queueing the request.
			WebTestClient.ResponseSpec response = this.client.mutate()
				.responseTimeout(Duration.ofSeconds(2))
				.build()
				.get()
				.uri("/authors/12/report")
				.exchange();
			response.expectHeader().valueEquals(HttpHeaders.RETRY_AFTER, "1");
			expectProblem(response, 503);
		}
		finally {
			release.countDown();
		}
		CompletableFuture.allOf(held.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
		this.client.get()
			.uri("/actuator/metrics/protevus.executor.rejected?tag=name:reports")
			.exchange()
			.expectBody()
			.jsonPath("$.measurements[0].value")
			.value((rejected) -> assertThat(((Number) rejected).doubleValue()).isPositive());
		this.client.get().uri("/authors/12/report").exchange().expectStatus().isOk();
	}

	@Test
	void bookHasTheConfiguredCacheControlAndAWeakETagAndIsNotSentAgainWhileUnchanged() {
		String etag = this.client.get()
			.uri("/books/20")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.valueEquals(HttpHeaders.CACHE_CONTROL, "max-age=60, public")
			.expectBody()
			.jsonPath("$.title")
			.isEqualTo("Winter Arithmetic")
			.returnResult()
			.getResponseHeaders()
			.getETag();
		assertThat(etag).startsWith("W/\"");
		this.client.get()
			.uri("/books/20")
			.ifNoneMatch(etag)
			.exchange()
			.expectStatus()
			.isNotModified()
			.expectHeader()
			.valueEquals(HttpHeaders.ETAG, etag)
			.expectHeader()
			.valueEquals(HttpHeaders.CACHE_CONTROL, "max-age=60, public")
			.expectBody()
			.isEmpty();
		// Authors are outside /books/**: tagged, but without Cache-Control.
		this.client.get()
			.uri("/authors/2")
			.exchange()
			.expectHeader()
			.doesNotExist(HttpHeaders.CACHE_CONTROL)
			.expectHeader()
			.value(HttpHeaders.ETAG, (tag) -> assertThat(tag).startsWith("W/\""));
	}

	@Test
	void healthIsUpWithoutAnyRedis() {
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
			.jsonPath("$.components.r2dbcPool.status")
			.isEqualTo("UP")
			.jsonPath("$.components.redis")
			.doesNotExist();
	}

	@Test
	void livenessAndReadinessGroupsAreUp() {
		for (String group : new String[] { "liveness", "readiness" }) {
			this.client.get()
				.uri("/actuator/health/" + group)
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$.status")
				.isEqualTo("UP");
		}
	}

	@Test
	void sampleOptsInToInfoMetricsAndPrometheus() {
		this.client.get()
			.uri("/actuator/info")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.app.name")
			.isEqualTo("bookstore");
		this.client.get().uri("/actuator/metrics").exchange().expectStatus().isOk();
		this.client.get()
			.uri("/actuator/prometheus")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.value((body) -> assertThat(body).contains("http_server_requests"));
		this.client.get().uri("/actuator/env").exchange().expectStatus().isNotFound();
	}

	@Test
	void databaseIsPooledByR2dbcPoolAndWarmedUp() {
		assertThat(this.connectionFactory).isInstanceOf(ConnectionPool.class);
		assertThat(((ConnectionPool) this.connectionFactory).getMetrics().orElseThrow().allocatedSize()).isPositive();
	}

	private WebTestClient.BodyContentSpec expectProblem(WebTestClient.ResponseSpec response, int status) {
		return response.expectStatus()
			.isEqualTo(status)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo(status)
			.jsonPath("$.title")
			.isNotEmpty();
	}

}
