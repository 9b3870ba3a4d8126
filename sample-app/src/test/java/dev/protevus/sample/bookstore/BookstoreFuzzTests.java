package dev.protevus.sample.bookstore;

import java.net.URI;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.protevus.sample.bookstore.BadRequestGenerator.Category;
import dev.protevus.sample.bookstore.BadRequestGenerator.RefusedBy;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.client.HttpClient;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Throws generated bad requests at the sample through its real port and checks that every
 * one is refused with a 4xx, never a 5xx, and that every refusal is an RFC 9457 problem
 * that shows nothing of the server's insides.
 * <p>
 * The requests come from a {@link Random} whose seed is printed on every run and in every
 * failure; rerun with {@code -Dbookstore.fuzz.seed=<seed>} to send the same ones. At most
 * four are in flight at once, which is enough to keep two cores busy.
 * <p>
 * Requests with oversized headers or request lines ({@link RefusedBy#NETTY}) are refused
 * by Netty's HTTP decoder (431, 414 or 400) before Spring sees them, so nothing in the
 * application can write a body: for those only the 4xx is checked, by decision.
 * <p>
 * A 5xx in a failure comes with what the server logged for that request, found by the
 * request id in the problem, so that a failure on a CI machine explains itself.
 */
@ExtendWith(OutputCaptureExtension.class)
@SampleServerTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
		"protevus.cache.file.directory=${java.io.tmpdir}/protevus-sample-test-${random.uuid}",
		"spring.r2dbc.url=r2dbc:h2:mem:///bookstore-fuzz-${random.uuid}?options=DB_CLOSE_DELAY=-1;DB_CLOSE_ON_EXIT=FALSE;CASE_INSENSITIVE_IDENTIFIERS=TRUE" })
class BookstoreFuzzTests {

	private static final long SEED = Long.getLong("bookstore.fuzz.seed", new Random().nextLong());

	/**
	 * Sent for each category the sample's own handlers refuse: 8 categories, 1,040
	 * requests.
	 */
	private static final int PER_HANDLER_CATEGORY = 130;

	/** Sent for each category refused before any handler: 7 categories, 280 requests. */
	private static final int PER_FRAMEWORK_CATEGORY = 40;

	/**
	 * Names that would show the server's insides if an answer held them without the
	 * request.
	 */
	private static final List<String> INSIDES = List.of("java.", "javax.", "jakarta.", "dev.protevus",
			"org.springframework", "com.fasterxml", "org.h2", "io.r2dbc", "io.netty", "reactor.", "Exception", "\tat ");

	private static final int FAILURES_SHOWN = 3;

	private static final int SERVER_LOG_LINES_SHOWN = 25;

	private static final int CONCURRENCY = 4;

	private final ObjectMapper objectMapper = new ObjectMapper();

	@LocalServerPort
	private int port;

	private WebTestClient client;

	private BadRequestGenerator generator;

	@BeforeEach
	void generateFromTheSeed() {
		// A connection per request: a bad request that the server cuts short (a 413
		// before the end
		// of the body, a 431 before the end of the headers) cannot leave a pooled
		// connection in a
		// state that loses the next request's answer.
		this.client = WebTestClient.bindToServer(new ReactorClientHttpConnector(HttpClient.newConnection()))
			.baseUrl("http://localhost:" + this.port)
			.responseTimeout(Duration.ofSeconds(10))
			.build();
		System.out.println("Bookstore fuzz seed: " + SEED + " (rerun with -Dbookstore.fuzz.seed=" + SEED + ")");
		this.generator = new BadRequestGenerator(SEED, firstPageCursor("ASC"), firstPageCursor("DESC"));
	}

	@Test
	void everyBadValueForTheSamplesEndpointsIsRefusedWithAProblem(CapturedOutput serverLog) {
		assertRefusedWithProblems(Set.of(RefusedBy.HANDLER), PER_HANDLER_CATEGORY, serverLog);
	}

	@Test
	void everyRequestRefusedBeforeTheSamplesHandlersIsA4xxAndAProblemWhenSpringRefusesIt(CapturedOutput serverLog) {
		assertRefusedWithProblems(Set.of(RefusedBy.WEBFLUX, RefusedBy.NETTY), PER_FRAMEWORK_CATEGORY, serverLog);
	}

	private void assertRefusedWithProblems(Set<RefusedBy> refusedBy, int perCategory, CapturedOutput serverLog) {
		Map<Category, Map<Integer, Integer>> statuses = new EnumMap<>(Category.class);
		Map<Category, List<String>> failures = new EnumMap<>(Category.class);
		int sent = 0;
		long start = System.nanoTime();
		for (Category category : Category.values()) {
			if (!refusedBy.contains(category.refusedBy())) {
				continue;
			}
			List<BadRequest> requests = this.generator.generate(category, perCategory);
			// A few at a time, on threads allowed to block, with the answers kept in
			// request order.
			List<Answer> answers = Flux.fromIterable(requests)
				.flatMapSequential(
						(request) -> Mono.fromCallable(() -> send(request)).subscribeOn(Schedulers.boundedElastic()),
						CONCURRENCY)
				.collectList()
				.block();
			for (int i = 0; i < requests.size(); i++) {
				BadRequest request = requests.get(i);
				Answer answer = answers.get(i);
				sent++;
				statuses.computeIfAbsent(category, (key) -> new TreeMap<>()).merge(answer.status(), 1, Integer::sum);
				List<String> wrong = check(request, answer);
				if (!wrong.isEmpty()) {
					failures.computeIfAbsent(category, (key) -> new ArrayList<>())
						.add("#" + i + " " + request + "\n  answered " + answer + "\n  wrong: " + wrong
								+ loggedFor(answer, serverLog));
				}
			}
		}
		System.out.println("Bookstore fuzz: " + sent + " requests in " + (System.nanoTime() - start) / 1_000_000
				+ " ms, statuses by category " + statuses);
		assertThat(failures.keySet()).as(() -> report(failures, statuses)).isEmpty();
	}

	private Answer send(BadRequest request) {
		WebTestClient.RequestBodySpec spec = this.client.method(request.method())
			.uri(URI.create("http://localhost:" + this.port + request.uri()))
			.headers((headers) -> headers.addAll(request.headers()));
		if (request.body() != null) {
			// Raw buffers, so that the client neither picks a content type nor parses
			// ours.
			Mono<DataBuffer> body = Mono
				.fromSupplier(() -> DefaultDataBufferFactory.sharedInstance.wrap(request.body()));
			spec.body(BodyInserters.fromDataBuffers(body));
		}
		try {
			EntityExchangeResult<byte[]> result = spec.exchange().expectBody(byte[].class).returnResult();
			byte[] body = result.getResponseBody();
			return new Answer(result.getStatus().value(), result.getResponseHeaders().getFirst("Content-Type"),
					(body != null) ? new String(body, StandardCharsets.UTF_8) : "", null);
		}
		catch (RuntimeException ex) {
			return new Answer(0, null, "", ex.toString());
		}
	}

	private List<String> check(BadRequest request, Answer answer) {
		List<String> wrong = new ArrayList<>();
		if (answer.error() != null) {
			wrong.add("no answer");
			return wrong;
		}
		if (answer.status() < 400 || answer.status() > 499) {
			wrong.add("status is not 4xx");
		}
		if (request.category().refusedBy() == RefusedBy.NETTY) {
			return wrong;
		}
		if (answer.contentType() == null || !MediaType.APPLICATION_PROBLEM_JSON
			.equalsTypeAndSubtype(MediaType.parseMediaType(answer.contentType()))) {
			wrong.add("content type is not application/problem+json");
		}
		JsonNode problem = parse(answer.body());
		if (problem == null || !problem.isObject()) {
			wrong.add("body is not a JSON object");
		}
		else {
			for (String member : new String[] { "type", "title", "detail", "instance" }) {
				if (!problem.path(member).isTextual() || problem.path(member).asText().isBlank()) {
					wrong.add("no " + member);
				}
			}
			if (!problem.path("status").isInt() || problem.path("status").asInt() != answer.status()) {
				wrong.add("status member is not the HTTP status");
			}
		}
		String asked = request.text();
		for (String inside : INSIDES) {
			if (answer.body().contains(inside) && !asked.contains(inside)) {
				wrong.add("body shows '" + inside.strip() + "'");
			}
		}
		return wrong;
	}

	private JsonNode parse(String body) {
		try {
			return this.objectMapper.readTree(body);
		}
		catch (Exception ex) {
			return null;
		}
	}

	/**
	 * What the server logged for a 5xx answer: the lines from the first that names its
	 * request id.
	 */
	private String loggedFor(Answer answer, CapturedOutput serverLog) {
		JsonNode problem = (answer.status() >= 500) ? parse(answer.body()) : null;
		String requestId = (problem != null) ? problem.path("requestId").asText("") : "";
		if (requestId.isEmpty()) {
			return "";
		}
		List<String> lines = serverLog.getAll().lines().toList();
		for (int i = 0; i < lines.size(); i++) {
			if (lines.get(i).contains("[" + requestId + "]")) {
				return "\n  server log:\n    "
						+ String.join("\n    ", lines.subList(i, Math.min(lines.size(), i + SERVER_LOG_LINES_SHOWN)));
			}
		}
		return "\n  server log: nothing names request " + requestId;
	}

	private String firstPageCursor(String order) {
		BookPage page = this.client.get()
			.uri("/books?limit=3&order=" + order)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(BookPage.class)
			.returnResult()
			.getResponseBody();
		assertThat(page.next()).isNotEmpty();
		return page.next();
	}

	private static String report(Map<Category, List<String>> failures, Map<Category, Map<Integer, Integer>> statuses) {
		StringBuilder report = new StringBuilder("Seed " + SEED + " (rerun with -Dbookstore.fuzz.seed=" + SEED + "): ");
		report.append(failures.keySet()).append(" answered wrongly\n");
		failures.forEach((category, wrong) -> {
			report.append("\n")
				.append(category)
				.append(": ")
				.append(wrong.size())
				.append(" of ")
				.append(statuses.get(category).values().stream().mapToInt(Integer::intValue).sum())
				.append(" wrong; statuses ")
				.append(statuses.get(category))
				.append("\n");
			wrong.stream().limit(FAILURES_SHOWN).forEach((failure) -> report.append(failure).append("\n"));
		});
		return report.toString();
	}

	/**
	 * What the server answered, or the client's error when it did not.
	 */
	private record Answer(int status, String contentType, String body, String error) {

		@Override
		public String toString() {
			return (this.error != null) ? this.error
					: this.status + " " + this.contentType + " " + BadRequest.abbreviate(this.body);
		}

	}

}
