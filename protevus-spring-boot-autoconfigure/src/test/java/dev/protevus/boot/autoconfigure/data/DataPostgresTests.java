package dev.protevus.boot.autoconfigure.data;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import dev.protevus.boot.autoconfigure.ProtevusAutoConfiguration;
import dev.protevus.boot.data.PoolUtilization;
import dev.protevus.boot.data.pool.ConnectionPools;
import dev.protevus.boot.test.TestPostgres;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.resources.LoopResources;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.data.r2dbc.R2dbcDataAutoConfiguration;
import org.springframework.boot.autoconfigure.r2dbc.R2dbcAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.r2dbc.core.DatabaseClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The pool Protevus configures, against the real PostgreSQL of protevus-spring-boot-test.
 */
class DataPostgresTests {

	private static final String APPLICATION_NAME = "protevus-data-tests";

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ProtevusAutoConfiguration.class, R2dbcAutoConfiguration.class,
				R2dbcDataAutoConfiguration.class, DataAutoConfiguration.class))
		.withPropertyValues(TestPostgres.get().propertyValues())
		.withPropertyValues("spring.r2dbc.properties.applicationName=" + APPLICATION_NAME,
				"spring.r2dbc.pool.initial-size=4", "spring.r2dbc.pool.max-size=4",
				"spring.r2dbc.pool.max-acquire-time=2s");

	@Test
	void warmedUpConnectionsAreSpreadOverTheDriversEventLoopsWhenInitialSizeEqualsMaxSize() {
		this.contextRunner.run((context) -> {
			ConnectionFactory connectionFactory = context.getBean(ConnectionFactory.class);
			assertThat(ConnectionPools.find(connectionFactory).getMetrics().orElseThrow().allocatedSize()).isEqualTo(4);
			// r2dbc-postgresql's channels take Reactor Netty's shared event loops in
			// turn,
			// so 4 connections opened together get a loop each when there are at least 4.
			assertThat(eventLoopsOf(connectionFactory, 4)).hasSize(Math.min(4, LoopResources.DEFAULT_IO_WORKER_COUNT));
		});
	}

	@Test
	void poolRecoversWhenPostgresRestartsWithoutRestartingTheContext() {
		this.contextRunner.run((context) -> {
			DatabaseClient client = context.getBean(DatabaseClient.class);
			assertThat(selectOne(client).block(Duration.ofSeconds(10))).isOne();
			TestPostgres server = TestPostgres.get();
			server.stop();
			try {
				assertThat(selectOne(client).onErrorReturn(-1).block(Duration.ofSeconds(10))).isEqualTo(-1);
			}
			finally {
				server.start();
			}
			await().atMost(Duration.ofSeconds(30))
				.untilAsserted(
						() -> assertThat(selectOne(client).onErrorReturn(-1).block(Duration.ofSeconds(10))).isOne());
			assertThat(Flux.range(0, 20).flatMap((i) -> selectOne(client)).collectList().block(Duration.ofSeconds(30)))
				.hasSize(20)
				.containsOnly(1);
			await().untilAsserted(() -> assertThat(context.getBean(PoolUtilization.class).acquired()).isZero());
		});
	}

	@Test
	void cancellingAThousandInFlightQueriesLeaksNoConnection() {
		this.contextRunner.run((context) -> {
			DatabaseClient client = context.getBean(DatabaseClient.class);
			List<Object> outcomes = Flux.range(0, 1000)
				.flatMap((i) -> client.sql("SELECT pg_sleep(0.02)")
					.fetch()
					.rowsUpdated()
					.timeout(Duration.ofMillis(5))
					.map(Object.class::cast)
					.onErrorResume(TimeoutException.class, (ex) -> Mono.just("cancelled")), 32)
				.collectList()
				.block(Duration.ofMinutes(2));
			assertThat(outcomes).hasSize(1000).contains("cancelled");
			PoolUtilization pool = context.getBean(PoolUtilization.class);
			await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(pool.acquired()).isZero());
			assertThat(selectOne(client).block(Duration.ofSeconds(10))).isOne();
			Long backends = client.sql("SELECT count(*) FROM pg_stat_activity WHERE application_name = :name")
				.bind("name", APPLICATION_NAME)
				.map((row) -> row.get(0, Long.class))
				.one()
				.block(Duration.ofSeconds(10));
			assertThat(backends).isLessThanOrEqualTo(4);
		});
	}

	@Test
	void cancellingAThousandRunningStatementsLeavesNoConnectionAcquiredAndNoBackendActive() {
		this.contextRunner.run((context) -> {
			DatabaseClient client = context.getBean(DatabaseClient.class);
			// As many at a time as the pool has connections, so that the statements are
			// cancelled while they run on the server rather than while they wait for a
			// connection.
			List<Object> outcomes = Flux.range(0, 1000)
				.flatMap((i) -> client.sql("SELECT pg_sleep(0.03)")
					.fetch()
					.rowsUpdated()
					.timeout(Duration.ofMillis(10))
					.map(Object.class::cast)
					.onErrorResume(TimeoutException.class, (ex) -> Mono.just("cancelled")), 4)
				.collectList()
				.block(Duration.ofMinutes(2));
			// A timer held up on a busy machine lets a few finish; most are cancelled.
			assertThat(outcomes).hasSize(1000).isSubsetOf("cancelled", 1L);
			assertThat(outcomes).filteredOn("cancelled"::equals).hasSizeGreaterThan(500);
			PoolUtilization pool = context.getBean(PoolUtilization.class);
			await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(pool.acquired()).isZero());
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(count(client,
						"SELECT count(*) FROM pg_stat_activity WHERE application_name = :name AND state = 'active' "
								+ "AND query LIKE '%pg_sleep%' AND pid <> pg_backend_pid()"))
					.isZero());
			assertThat(count(client, "SELECT count(*) FROM pg_stat_activity WHERE application_name = :name"))
				.isLessThanOrEqualTo(4);
			assertThat(selectOne(client).block(Duration.ofSeconds(10))).isOne();
		});
	}

	private static Long count(DatabaseClient client, String sql) {
		return client.sql(sql)
			.bind("name", APPLICATION_NAME)
			.map((row) -> row.get(0, Long.class))
			.one()
			.block(Duration.ofSeconds(10));
	}

	private static Mono<Integer> selectOne(DatabaseClient client) {
		return client.sql("SELECT 1").map((row) -> row.get(0, Integer.class)).one();
	}

	/**
	 * The threads that deliver rows for each of {@code count} connections held at once:
	 * for a Reactor Netty driver, the connections' event loops.
	 */
	private static Set<String> eventLoopsOf(ConnectionFactory connectionFactory, int count) {
		return Flux.range(0, count)
			.flatMap((i) -> Mono.from(connectionFactory.create()), count)
			.collectList()
			.flatMapMany((connections) -> Flux.fromIterable(connections)
				.flatMap((connection) -> Flux.from(connection.createStatement("SELECT 1").execute())
					.flatMap((result) -> result.map((row, metadata) -> Thread.currentThread().getName()))
					.last())
				.collect(Collectors.toSet())
				.flatMapMany(Flux::fromIterable)
				.concatWith(Flux.fromIterable(connections).concatMap(Connection::close).then(Mono.empty())))
			.collect(Collectors.toSet())
			.block(Duration.ofSeconds(30));
	}

}
