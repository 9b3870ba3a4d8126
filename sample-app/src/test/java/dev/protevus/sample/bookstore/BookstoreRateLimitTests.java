package dev.protevus.sample.bookstore;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample with Protevus's per-client rate limit switched on, as an operator would:
 * three requests a minute for each value of {@code X-Client} (a key a gateway in front
 * would have checked). The minute is far longer than any of these tests, so no allowance
 * refills during one.
 */
@SampleServerTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "protevus.cache.file.directory=${java.io.tmpdir}/protevus-sample-test-${random.uuid}",
				"protevus.web.rate-limit.enabled=true", "protevus.web.rate-limit.key=header:X-Client",
				"protevus.web.rate-limit.limit-for-period=3", "protevus.web.rate-limit.limit-refresh-period=1m" })
class BookstoreRateLimitTests {

	private static final String CLIENT = "X-Client";

	@Autowired
	private WebTestClient client;

	@LocalServerPort
	private int port;

	@Test
	void aClientOverItsLimitGetsA429ProblemWithRetryAfterWhileOtherClientsAreServed() {
		for (int remaining = 2; remaining >= 0; remaining--) {
			this.client.get()
				.uri("/authors/1")
				.header(CLIENT, "alice")
				.exchange()
				.expectStatus()
				.isOk()
				.expectHeader()
				.valueEquals("RateLimit-Limit", "3")
				.expectHeader()
				.valueEquals("RateLimit-Remaining", String.valueOf(remaining))
				.expectHeader()
				.value("RateLimit-Reset", (reset) -> assertThat(Integer.parseInt(reset)).isBetween(1, 60));
		}
		HttpHeaders refused = this.client.get()
			.uri("/authors/1")
			.header(CLIENT, "alice")
			.exchange()
			.expectStatus()
			.isEqualTo(429)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectHeader()
			.valueEquals("RateLimit-Limit", "3")
			.expectHeader()
			.valueEquals("RateLimit-Remaining", "0")
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo(429)
			.jsonPath("$.instance")
			.isEqualTo("/authors/1")
			.returnResult()
			.getResponseHeaders();
		assertThat(refused.getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo(refused.getFirst("RateLimit-Reset"));
		assertThat(Integer.parseInt(refused.getFirst(HttpHeaders.RETRY_AFTER))).isBetween(1, 60);
		this.client.get()
			.uri("/authors/1")
			.header(CLIENT, "bob")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.valueEquals("RateLimit-Remaining", "2");
	}

	@Test
	void concurrentRequestsOfOneClientGetExactlyItsLimitThrough() {
		// All at once, over as many connections, so that several event loops take from
		// the one
		// client's limiter together.
		WebClient webClient = WebClient.create("http://localhost:" + this.port);
		List<Integer> statuses = Flux.range(0, 20)
			.flatMap(
					(i) -> webClient.get()
						.uri("/authors/1")
						.header(CLIENT, "carol")
						.exchangeToMono((response) -> response.releaseBody().thenReturn(response.statusCode().value())),
					20)
			.collectList()
			.block(Duration.ofSeconds(10));
		Map<Integer, Long> counts = statuses.stream()
			.collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
		assertThat(counts).containsExactlyInAnyOrderEntriesOf(Map.of(200, 3L, 429, 17L));
	}

}
