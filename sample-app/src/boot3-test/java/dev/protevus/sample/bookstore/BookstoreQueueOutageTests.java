package dev.protevus.sample.bookstore;

import java.time.Duration;
import java.util.Map;

import dev.protevus.boot.test.TestRedis;
import dev.protevus.boot.test.WithTestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Reviews go through the job queue on the embedded Redis (the sample on its embedded
 * defaults otherwise). While Redis is stopped or hung, submitting one is answered over
 * real HTTP with a {@code 503} problem and {@code Retry-After} within the queue's timeout
 * ({@code protevus.queue.timeout}, 2 s by default), never a hang.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "protevus.cache.file.directory=${java.io.tmpdir}/protevus-sample-test-${random.uuid}",
				// A queue of its own: DistributedProfileTests' context, alive in the same
				// JVM, is another "bookstore" on the same Redis, with another database.
				"protevus.queue.key-prefix=outage-tests:queue:" })
@WithTestRedis
class BookstoreQueueOutageTests {

	private static final Duration QUEUE_TIMEOUT = Duration.ofSeconds(2);

	@Autowired
	private WebTestClient client;

	@AfterEach
	void startRedis() {
		TestRedis.get().start();
	}

	@Test
	void reviewSubmittedWhileRedisIsStoppedIsA503ProblemAndAcceptedAgainOnceRedisIsBack() {
		awaitAccepted();
		TestRedis.get().stop();
		expectUnavailable();
		TestRedis.get().start();
		awaitAccepted();
	}

	@Test
	void reviewSubmittedWhileRedisHangsIsA503ProblemWithinTheQueueTimeout() {
		awaitAccepted();
		TestRedis.get().pause();
		try {
			expectUnavailable();
		}
		finally {
			TestRedis.get().resume();
		}
		awaitAccepted();
	}

	private void expectUnavailable() {
		long start = System.nanoTime();
		WebTestClient.ResponseSpec response = this.client.mutate()
			.responseTimeout(QUEUE_TIMEOUT.multipliedBy(5))
			.build()
			.post()
			.uri("/books/3/reviews")
			.bodyValue(Map.of("rating", 4, "text", "Sent while Redis is away."))
			.exchange();
		response.expectStatus()
			.isEqualTo(503)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectHeader()
			.valueEquals(HttpHeaders.RETRY_AFTER, "1")
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo(503)
			.jsonPath("$.detail")
			.isEqualTo("The server cannot accept this work right now; retry shortly.");
		// The queue's timeout, and a margin for a loaded machine; not a hang.
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(QUEUE_TIMEOUT.multipliedBy(3));
	}

	private void awaitAccepted() {
		// Lettuce reconnects by itself after a restart.
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> this.client.post()
				.uri("/books/3/reviews")
				.bodyValue(Map.of("rating", 5, "text", "Sent while Redis is up."))
				.exchange()
				.expectStatus()
				.isAccepted());
	}

}
