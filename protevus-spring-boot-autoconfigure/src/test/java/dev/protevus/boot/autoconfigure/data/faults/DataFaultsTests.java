package dev.protevus.boot.autoconfigure.data.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

import dev.protevus.boot.data.PoolUtilization;
import dev.protevus.boot.test.StatementCounter;
import dev.protevus.boot.test.TestPostgres;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.reactive.context.ReactiveWebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a client of a Protevus service gets when its PostgreSQL hangs, restarts or loses
 * its connections, when the pool is exhausted and when a request runs N+1 queries: over
 * real HTTP, on the embedded PostgreSQL, with a pool of 4 and a 1 s acquire time. Time
 * bounds are measured per request after warm-up, so that a machine busy with other work
 * slows the requests it measures rather than failing the test on start-up costs.
 */
@ExtendWith(OutputCaptureExtension.class)
class DataFaultsTests {

	private static final String APPLICATION_NAME = "protevus-faults-tests";

	private static final int POOL_SIZE = 4;

	private static final Duration ACQUIRE_TIME = Duration.ofSeconds(1);

	private static final Duration STATEMENT_TIMEOUT = Duration.ofMillis(500);

	private ConfigurableApplicationContext context;

	private WebClient http;

	@BeforeAll
	static void createSchema() {
		admin(FaultsApplication.SCHEMA);
	}

	@AfterEach
	void stop() {
		TestPostgres postgres = TestPostgres.get();
		postgres.resume();
		postgres.start();
		if (this.context != null) {
			this.context.close();
		}
	}

	@Test
	void pausedDatabaseFailsRequestsWithin503Or504ProblemsAndServesAgainAfterResume() {
		start("protevus.data.statement-timeout=" + STATEMENT_TIMEOUT.toMillis() + "ms");
		warmUp("/select");
		TestPostgres postgres = TestPostgres.get();
		postgres.pause();
		List<Outcome> outcomes;
		try {
			outcomes = Flux.range(0, 2 * POOL_SIZE)
				.flatMap((i) -> call("/select"))
				.concatWith(call("/select"))
				.collectList()
				.block(Duration.ofSeconds(30));
		}
		finally {
			postgres.resume();
		}
		Duration bound = STATEMENT_TIMEOUT.plus(ACQUIRE_TIME).plusSeconds(1);
		assertThat(outcomes).hasSize(2 * POOL_SIZE + 1).allSatisfy((outcome) -> {
			assertThat(outcome.status()).isIn(503, 504);
			assertProblem(outcome);
			assertThat(outcome.took()).isLessThan(bound);
		});
		assertThat(outcomes).anyMatch((outcome) -> outcome.status() == 504);
		// Served again once every connection of the pool works: the ones the pause left
		// behind are replaced first, which takes a few connection set-ups on a loaded
		// machine, and a burst before that could wait past the acquire time.
		await().atMost(Duration.ofSeconds(15))
			.untilAsserted(() -> assertThat(Flux.range(0, POOL_SIZE)
				.flatMap((i) -> call("/select"))
				.map(Outcome::status)
				.collectList()
				.block(Duration.ofSeconds(15))).containsOnly(200));
		assertThat(Flux.range(0, 20).flatMap((i) -> call("/select")).map(Outcome::status).collectList().block())
			.containsOnly(200);
		await().untilAsserted(() -> assertThat(this.context.getBean(PoolUtilization.class).acquired()).isZero());
		assertThat(backends()).isLessThanOrEqualTo(POOL_SIZE);
	}

	@Test
	void restartUnderLoadFailsOnlyRequestsAroundTheRestartWith503ProblemsAndLeaksNoConnection() {
		start();
		warmUp("/select");
		TestPostgres postgres = TestPostgres.get();
		Load load = Load.start(this, Duration.ofSeconds(10));
		await().atMost(Duration.ofSeconds(30)).until(() -> load.succeeded() >= 200);
		long faultAt = System.nanoTime();
		postgres.stop();
		postgres.start();
		long acceptingAt = System.nanoTime();
		load.endNoEarlierThan(acceptingAt + TimeUnit.SECONDS.toNanos(3));
		assertOnlyRequestsAroundTheFaultFailed(load.outcomes(), faultAt, acceptingAt);
	}

	@Test
	void terminatedBackendsUnderLoadFailOnlyRequestsInFlightWith503ProblemsAndAreEvicted() {
		start();
		warmUp("/select");
		Load load = Load.start(this, Duration.ofSeconds(10));
		await().atMost(Duration.ofSeconds(30)).until(() -> load.succeeded() >= 200);
		long faultAt = System.nanoTime();
		Long terminated = admin(
				"SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = '"
						+ APPLICATION_NAME + "'");
		long doneAt = System.nanoTime();
		assertThat(terminated).isPositive();
		load.endNoEarlierThan(doneAt + TimeUnit.SECONDS.toNanos(3));
		assertOnlyRequestsAroundTheFaultFailed(load.outcomes(), faultAt, doneAt);
	}

	@Test
	void exhaustedPoolAnswers503WithinTheAcquireTimeAndTimedOutAcquiresTakeNoConnectionLater() {
		start();
		warmUp("/select");
		ConnectionFactory connectionFactory = this.context.getBean(ConnectionFactory.class);
		PoolUtilization pool = this.context.getBean(PoolUtilization.class);
		List<Connection> held = Flux.range(0, POOL_SIZE)
			.concatMap((i) -> Mono.<Connection>from(connectionFactory.create()))
			.collectList()
			.block(Duration.ofSeconds(10));
		List<Outcome> measured = new ArrayList<>();
		try {
			// The first exhausted answers warm up the failure path.
			call("/select").block(Duration.ofSeconds(10));
			for (int i = 0; i < 5; i++) {
				measured.add(call("/select").block(Duration.ofSeconds(10)));
			}
			assertThat(pool.acquired()).isEqualTo(POOL_SIZE);
		}
		finally {
			Flux.fromIterable(held).concatMap(Connection::close).blockLast(Duration.ofSeconds(10));
		}
		Duration bound = ACQUIRE_TIME.plusMillis(200);
		assertThat(measured).allSatisfy((outcome) -> {
			assertThat(outcome.status()).isEqualTo(503);
			assertProblem(outcome);
			assertThat(outcome.took()).isGreaterThanOrEqualTo(ACQUIRE_TIME.minusMillis(50));
		});
		// One of five may be late on a machine busy with other builds, never by much.
		assertThat(measured).filteredOn((outcome) -> outcome.took().compareTo(bound) > 0).hasSizeLessThanOrEqualTo(1);
		assertThat(measured)
			.allSatisfy((outcome) -> assertThat(outcome.took()).isLessThan(ACQUIRE_TIME.plusSeconds(1)));
		await().atMost(Duration.ofSeconds(1)).until(() -> pool.acquired() == 0);
		await().during(ACQUIRE_TIME.multipliedBy(2))
			.atMost(ACQUIRE_TIME.multipliedBy(3))
			.untilAsserted(() -> assertThat(pool.acquired()).isZero());
		assertThat(call("/select").block(Duration.ofSeconds(10)).status()).isEqualTo(200);
	}

	@Test
	void hundredLazyLoadsInOneRequestTakeAtMostTwoStatementsFromTheFirstRequestOn() {
		start();
		StatementCounter statements = this.context.getBean(StatementCounter.class);
		for (int request = 0; request < 5; request++) {
			List<String> ran = statements.during(() -> {
				Outcome outcome = call("/authors/lazy-books").block(Duration.ofSeconds(10));
				assertThat(outcome.status()).isEqualTo(200);
				assertThat(outcome.body()).isEqualTo("300");
			});
			assertThat(ran).as("statements of request %d", request)
				.hasSizeLessThanOrEqualTo(2)
				.filteredOn((sql) -> sql.contains("flt_book"))
				.hasSize(1);
		}
	}

	@Test
	void nPlusOneInARequestIsLoggedOnceWithTheStatementAndTheRequestInWarnMode(CapturedOutput output) {
		start("protevus.data.n-plus-one=warn");
		Outcome outcome = call("/authors/books-one-by-one").block(Duration.ofSeconds(10));
		assertThat(outcome.status()).isEqualTo(200);
		assertThat(outcome.body()).isEqualTo("60");
		String log = output.getOut();
		List<String> warnings = log.lines().filter((line) -> line.contains("Possible N+1 queries")).toList();
		assertThat(warnings).singleElement()
			.asString()
			.contains("WARN", "GET /authors/books-one-by-one", "flt_book", "threshold 10");
	}

	@Test
	void nPlusOneInARequestIsA500ProblemThatSaysSoInFailMode() {
		start("protevus.data.n-plus-one=fail");
		Outcome outcome = call("/authors/books-one-by-one").block(Duration.ofSeconds(10));
		assertThat(outcome.status()).isEqualTo(500);
		assertProblem(outcome);
		assertThat(outcome.body()).contains("N+1").doesNotContain("flt_book");
		assertThat(call("/authors/lazy-books").block(Duration.ofSeconds(10)).status()).isEqualTo(200);
	}

	private void assertOnlyRequestsAroundTheFaultFailed(List<Outcome> outcomes, long faultAt, long recoveredAt) {
		long recoveryBound = recoveredAt + ACQUIRE_TIME.plusSeconds(1).toNanos();
		List<Outcome> failed = outcomes.stream().filter((outcome) -> outcome.status() != 200).toList();
		assertThat(outcomes).filteredOn((outcome) -> outcome.endedAt() < faultAt).hasSizeGreaterThan(100);
		assertThat(failed).allSatisfy((outcome) -> {
			assertThat(outcome.status()).isEqualTo(503);
			assertProblem(outcome);
			assertThat(outcome.endedAt()).as("failed after the fault").isGreaterThanOrEqualTo(faultAt);
			assertThat(outcome.startedAt()).as("failed request started before the recovery bound")
				.isLessThan(recoveryBound);
		});
		assertThat(outcomes).anyMatch((outcome) -> outcome.status() == 200 && outcome.startedAt() > recoveryBound);
		PoolUtilization pool = this.context.getBean(PoolUtilization.class);
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(pool.acquired()).isZero());
		assertThat(backends()).isLessThanOrEqualTo(POOL_SIZE);
	}

	private static void assertProblem(Outcome outcome) {
		assertThat(outcome.contentType()).startsWith(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		assertThat(outcome.body()).contains("\"status\":" + outcome.status(), "\"detail\"")
			.doesNotContain("Exception", "dev.protevus", "io.r2dbc", "postgres");
	}

	private void warmUp(String path) {
		assertThat(Flux.range(0, 50).concatMap((i) -> call(path)).map(Outcome::status).collectList().block())
			.containsOnly(200);
	}

	private void start(String... properties) {
		// As arguments: default properties would lose to Protevus's pool defaults.
		List<String> arguments = new ArrayList<>();
		List.of(TestPostgres.get().propertyValues()).forEach((property) -> arguments.add("--" + property));
		arguments.addAll(List.of("--server.port=0", "--server.address=127.0.0.1", "--spring.main.banner-mode=off",
				"--spring.r2dbc.properties.applicationName=" + APPLICATION_NAME,
				"--spring.r2dbc.pool.initial-size=" + POOL_SIZE, "--spring.r2dbc.pool.max-size=" + POOL_SIZE,
				"--spring.r2dbc.pool.max-acquire-time=" + ACQUIRE_TIME.toMillis() + "ms"));
		List.of(properties).forEach((property) -> arguments.add("--" + property));
		this.context = new SpringApplicationBuilder(FaultsApplication.class).web(WebApplicationType.REACTIVE)
			.run(arguments.toArray(String[]::new));
		int port = ((ReactiveWebServerApplicationContext) this.context).getWebServer().getPort();
		this.http = WebClient.builder().baseUrl("http://127.0.0.1:" + port).build();
	}

	Mono<Outcome> call(String path) {
		return Mono.defer(() -> {
			long start = System.nanoTime();
			return this.http.get()
				.uri(path)
				.exchangeToMono((response) -> response.bodyToMono(String.class)
					.defaultIfEmpty("")
					.map((body) -> new Outcome(response.statusCode().value(),
							response.headers().contentType().map(Object::toString).orElse(""), body, start,
							System.nanoTime())))
				.timeout(Duration.ofSeconds(20))
				.onErrorResume((ex) -> Mono.just(new Outcome(-1, "", ex.toString(), start, System.nanoTime())));
		});
	}

	private long backends() {
		return admin("SELECT count(*) FROM pg_stat_activity WHERE application_name = '" + APPLICATION_NAME + "'");
	}

	/**
	 * Runs SQL on a connection of its own, outside the application's pool, and returns
	 * the first column of the last row as a number, if any.
	 */
	private static Long admin(String sql) {
		TestPostgres postgres = TestPostgres.get();
		ConnectionFactory factory = ConnectionFactories.get(ConnectionFactoryOptions.parse(postgres.r2dbcUrl())
			.mutate()
			.option(ConnectionFactoryOptions.USER, postgres.username())
			.build());
		return Mono.usingWhen(factory.create(), (connection) -> Flux.from(connection.createStatement(sql).execute())
			.flatMap((result) -> result.map((row, metadata) -> {
				Object value = row.get(0);
				return (value instanceof Number number) ? number.longValue() : 0L;
			}))
			.last(0L), Connection::close).block(Duration.ofSeconds(30));
	}

	/**
	 * One HTTP request's answer and when it was sent and answered, in
	 * {@link System#nanoTime()}.
	 */
	record Outcome(int status, String contentType, String body, long startedAt, long endedAt) {

		Duration took() {
			return Duration.ofNanos(this.endedAt - this.startedAt);
		}

	}

	/**
	 * 64 clients sending {@code GET /select} one after another until the load ends; after
	 * a failure a client waits 5 ms, so that a database that is down does not turn the
	 * test into a busy loop.
	 */
	static final class Load {

		private static final int CLIENTS = 64;

		private final AtomicLong end;

		private final AtomicLong succeeded = new AtomicLong();

		private final CompletableFuture<List<Outcome>> outcomes;

		private Load(DataFaultsTests tests, Duration duration) {
			this.end = new AtomicLong(System.nanoTime() + duration.toNanos());
			Predicate<Outcome> ok = (outcome) -> outcome.status() == 200;
			this.outcomes = Flux.range(0, CLIENTS)
				.flatMap((client) -> tests.call("/select")
					.flatMap((outcome) -> ok.test(outcome) ? Mono.just(outcome)
							: Mono.just(outcome).delayElement(Duration.ofMillis(5)))
					.doOnNext((outcome) -> {
						if (ok.test(outcome)) {
							this.succeeded.incrementAndGet();
						}
					})
					.repeat(() -> System.nanoTime() < this.end.get()), CLIENTS)
				.collectList()
				.toFuture();
		}

		static Load start(DataFaultsTests tests, Duration duration) {
			return new Load(tests, duration);
		}

		long succeeded() {
			return this.succeeded.get();
		}

		void endNoEarlierThan(long nanoTime) {
			this.end.accumulateAndGet(nanoTime, Math::max);
		}

		List<Outcome> outcomes() {
			return this.outcomes.orTimeout(60, TimeUnit.SECONDS).join();
		}

	}

}
