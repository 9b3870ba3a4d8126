package dev.protevus.boot.autoconfigure.data;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.protevus.boot.actuate.data.ReadReplicaMetrics;
import dev.protevus.boot.autoconfigure.BootAutoConfigurations;
import dev.protevus.boot.autoconfigure.BootHealth;
import dev.protevus.boot.autoconfigure.ProtevusAutoConfiguration;
import dev.protevus.boot.autoconfigure.StartupFailures;
import dev.protevus.boot.data.PoolUtilization;
import dev.protevus.boot.data.pool.ConnectionPools;
import dev.protevus.boot.data.replica.ReadReplica;
import dev.protevus.boot.data.replica.ReadReplicas;
import dev.protevus.boot.data.replica.ReplicaReads;
import dev.protevus.boot.data.replica.ReplicaRoutingConnectionFactory;
import dev.protevus.boot.data.replica.ReplicaRoutingTransactionManager;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.r2dbc.connection.R2dbcTransactionManager;
import org.springframework.r2dbc.connection.lookup.AbstractRoutingConnectionFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.reactive.TransactionalOperator;
import org.springframework.transaction.support.DefaultTransactionDefinition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Read replicas on in-memory H2 databases, one per server, each of which names itself in
 * a {@code whoami} table so that a read tells where it ran.
 */
@ExtendWith(OutputCaptureExtension.class)
class DataReplicasAutoConfigurationTests {

	private final String primary = database("primary");

	private final String replica1 = database("replica-1");

	private final String replica2 = database("replica-2");

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ProtevusAutoConfiguration.class, DataAutoConfiguration.class,
				DataMetricsAutoConfiguration.class, ConnectionPoolHealthContributorAutoConfiguration.class))
		.withConfiguration(BootAutoConfigurations.r2dbc())
		.withConfiguration(BootAutoConfigurations.r2dbcData())
		.withConfiguration(BootAutoConfigurations.r2dbcTransactions())
		.withConfiguration(BootAutoConfigurations.metrics())
		.withBean(SimpleMeterRegistry.class)
		.withPropertyValues("spring.r2dbc.url=" + this.primary, "spring.r2dbc.pool.initial-size=1",
				"spring.r2dbc.pool.max-size=3", "protevus.data.replica-check-interval=100ms");

	private final ApplicationContextRunner withReplicas = this.contextRunner
		.withPropertyValues("protevus.data.replicas=" + this.replica1 + "," + this.replica2);

	@Test
	void withoutReplicasTheConnectionFactoryAndTransactionManagerStayBoots() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasNotFailed().doesNotHaveBean(ReadReplicas.class);
			assertThat(context.getBean(ConnectionFactory.class)).isInstanceOf(ConnectionPool.class);
			assertThat(context.getBean(ReactiveTransactionManager.class))
				.isExactlyInstanceOf(R2dbcTransactionManager.class);
		});
	}

	@Test
	void replicasRouteTheConnectionFactoryAndTheTransactionManager() {
		this.withReplicas.run((context) -> {
			assertThat(context).hasNotFailed();
			ConnectionFactory connectionFactory = context.getBean(ConnectionFactory.class);
			assertThat(connectionFactory).isInstanceOf(ReplicaRoutingConnectionFactory.class);
			assertThat(ConnectionPools.find(connectionFactory)).isNotNull();
			assertThat(context.getBean(ReadReplicas.class).replicas()).extracting(ReadReplica::name)
				.containsExactly("replica-1", "replica-2");
			assertThat(context.getBean(ReactiveTransactionManager.class))
				.isInstanceOf(ReplicaRoutingTransactionManager.class);
		});
	}

	@Test
	void replicasAreBoundFromAYamlListToo() {
		this.contextRunner
			.withPropertyValues("protevus.data.replicas[0]=" + this.replica1,
					"protevus.data.replicas[1]=" + this.replica2)
			.run((context) -> assertThat(context.getBean(ReadReplicas.class).replicas()).hasSize(2));
	}

	@Test
	void readOnlyWorkGoesToTheReplicasInTurnAndEverythingElseToThePrimary() {
		this.withReplicas.run((context) -> {
			awaitAvailable(context, 2);
			DatabaseClient client = context.getBean(DatabaseClient.class);
			TransactionalOperator readOnly = transactions(context, true);
			TransactionalOperator readWrite = transactions(context, false);
			List<String> reads = new ArrayList<>();
			for (int i = 0; i < 4; i++) {
				reads.add(readOnly.transactional(whoami(client)).block(Duration.ofSeconds(5)));
			}
			assertThat(reads).containsOnly("replica-1", "replica-2");
			assertThat(reads.get(0)).isNotEqualTo(reads.get(1));
			assertThat(reads.get(1)).isNotEqualTo(reads.get(2));
			assertThat(ReplicaReads.onReplica(whoami(client)).block(Duration.ofSeconds(5))).startsWith("replica-");
			assertThat(readWrite.transactional(whoami(client)).block(Duration.ofSeconds(5))).isEqualTo("primary");
			assertThat(whoami(client).block(Duration.ofSeconds(5))).isEqualTo("primary");
			// A read-write transaction goes to the primary even where a replica was asked
			// for; onPrimary keeps a read-only one there.
			assertThat(ReplicaReads.onReplica(readWrite.transactional(whoami(client))).block(Duration.ofSeconds(5)))
				.isEqualTo("primary");
			assertThat(ReplicaReads.onPrimary(readOnly.transactional(whoami(client))).block(Duration.ofSeconds(5)))
				.isEqualTo("primary");
			assertThat(ReplicaReads.onPrimary(whoami(client).flux()).blockLast(Duration.ofSeconds(5)))
				.isEqualTo("primary");
		});
	}

	@Test
	void transactionalReadOnlyMethodsReadFromAReplica() {
		this.withReplicas.withUserConfiguration(BookServiceConfiguration.class).run((context) -> {
			awaitAvailable(context, 2);
			BookService books = context.getBean(BookService.class);
			assertThat(books.readOnly().block(Duration.ofSeconds(5))).startsWith("replica-");
			assertThat(books.readWrite().block(Duration.ofSeconds(5))).isEqualTo("primary");
		});
	}

	@Test
	void readsGoToThePrimaryAndThatIsLoggedOnceWhenNoReplicaIsAvailable(CapturedOutput output) {
		this.contextRunner
			.withPropertyValues(
					"protevus.data.replicas=r2dbc:h2:mem:///missing-" + UUID.randomUUID() + "?options=IFEXISTS=TRUE")
			.run((context) -> {
				ReadReplicas replicas = context.getBean(ReadReplicas.class);
				await().atMost(Duration.ofSeconds(10))
					.until(() -> output.getOut().contains("No read replica is available"));
				replicas.check().block(Duration.ofSeconds(5));
				replicas.check().block(Duration.ofSeconds(5));
				DatabaseClient client = context.getBean(DatabaseClient.class);
				assertThat(ReplicaReads.onReplica(whoami(client)).block(Duration.ofSeconds(5))).isEqualTo("primary");
				assertThat(output.getOut().split("No read replica is available", -1)).hasSize(2);
				assertThat(replicas.replicas().get(0).reason()).startsWith("unreachable");
			});
	}

	@Test
	void everyPoolHasItsHealthAndMetersAndCountsInTheUtilization() {
		this.withReplicas.run((context) -> {
			awaitAvailable(context, 2);
			Object health = context.getBean("r2dbcPoolHealthContributor");
			assertThat(BootHealth.isComposite(health)).isTrue();
			assertThat(BootHealth.names(health)).containsExactly("connectionFactory", "replica-1", "replica-2");
			BootHealth.Checked replica = BootHealth.check(BootHealth.member(health, "replica-1"));
			assertThat(replica.status()).isEqualTo("UP");
			assertThat(replica.details()).containsEntry("available", true)
				.containsEntry("lagMillis", 0L)
				.containsEntry("max", 3)
				.doesNotContainKey("reason");
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.get("r2dbc.pool.max.allocated").tag("name", "replica-2").gauge().value()).isEqualTo(3);
			assertThat(registry.get(ReadReplicaMetrics.AVAILABLE).tag("name", "replica-1").gauge().value()).isOne();
			assertThat(registry.get(ReadReplicaMetrics.LAG).tag("name", "replica-1").gauge().value()).isZero();
			assertThat(context.getBean(PoolUtilization.class).maxSize()).isEqualTo(9);
		});
	}

	@Test
	void applicationsOwnTransactionManagerWins() {
		this.withReplicas.withUserConfiguration(OwnTransactionManagerConfiguration.class)
			.run((context) -> assertThat(context.getBean(ReactiveTransactionManager.class))
				.isSameAs(context.getBean("ownTransactionManager")));
	}

	@Test
	void withoutSpringR2dbcsRoutingConnectionFactoryThereAreNoReplicas() {
		this.withReplicas.withClassLoader(new FilteredClassLoader(AbstractRoutingConnectionFactory.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(ReadReplicas.class));
	}

	@ParameterizedTest
	@CsvSource({ "protevus.data.replicas[0], not-a-url", "protevus.data.replicas[0], r2dbc:pool:h2:mem:///pooled",
			"protevus.data.replicas[0], r2dbc:nosuchdriver://localhost/db",
			"protevus.data.replicas[0], r2dbc:postgresql://localhost/nouser", "protevus.data.replica-max-lag, -1s",
			"protevus.data.replica-check-interval, 0s" })
	void replicaValueThatCannotWorkFailsStartUpNamingTheProperty(String property, String value) {
		this.contextRunner.withPropertyValues("protevus.data.replicas[0]=" + this.replica1, property + "=" + value)
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = StartupFailures.analyze(context.getStartupFailure());
				assertThat(analysis).as("failure analysis of %s", context.getStartupFailure()).isNotNull();
				assertThat(analysis.getDescription()).contains("'" + property + "'");
				assertThat(analysis.getAction()).contains(property.replace("[0]", ""));
			});
	}

	@ParameterizedTest
	@CsvSource({ "r2dbc:pool:postgresql://app:s3cret@db/app", "postgresql://app:s3cret@db/app" })
	void aReplicaPasswordIsNotShownInTheFailure(String url) {
		this.contextRunner.withPropertyValues("protevus.data.replicas[0]=" + url)
			.run((context) -> assertThat(StartupFailures.analyze(context.getStartupFailure()).getDescription())
				.doesNotContain("s3cret")
				.contains("protevus.data.replicas[0]"));
	}

	private static void awaitAvailable(ApplicationContext context, int replicas) {
		ReadReplicas readReplicas = context.getBean(ReadReplicas.class);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> readReplicas.replicas().stream().filter(ReadReplica::isAvailable).count() == replicas);
	}

	private static TransactionalOperator transactions(ApplicationContext context, boolean readOnly) {
		DefaultTransactionDefinition definition = new DefaultTransactionDefinition();
		definition.setReadOnly(readOnly);
		return TransactionalOperator.create(context.getBean(ReactiveTransactionManager.class), definition);
	}

	private static Mono<String> whoami(DatabaseClient client) {
		return client.sql("SELECT name FROM whoami").map((row) -> row.get(0, String.class)).one();
	}

	/**
	 * An in-memory H2 database, kept while the JVM runs, whose whoami table holds its
	 * name.
	 */
	private static String database(String name) {
		String url = "r2dbc:h2:mem:///replicas-" + name + "-" + UUID.randomUUID() + "?options=DB_CLOSE_DELAY=-1";
		ConnectionFactory connectionFactory = ConnectionFactories.get(url);
		Flux.usingWhen(connectionFactory.create(),
				(connection) -> Flux
					.from(connection.createBatch()
						.add("CREATE TABLE whoami (name VARCHAR(20))")
						.add("INSERT INTO whoami VALUES ('" + name + "')")
						.execute())
					.flatMap((result) -> result.getRowsUpdated()),
				(connection) -> connection.close())
			.blockLast(Duration.ofSeconds(10));
		return url;
	}

	@Configuration(proxyBeanMethods = false)
	static class BookServiceConfiguration {

		@Bean
		BookService bookService(DatabaseClient client) {
			return new BookService(client);
		}

	}

	static class BookService {

		private final DatabaseClient client;

		BookService(DatabaseClient client) {
			this.client = client;
		}

		@Transactional(readOnly = true)
		public Mono<String> readOnly() {
			return whoami(this.client);
		}

		@Transactional
		public Mono<String> readWrite() {
			return whoami(this.client);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnTransactionManagerConfiguration {

		@Bean
		R2dbcTransactionManager ownTransactionManager(ConnectionFactory connectionFactory) {
			return new R2dbcTransactionManager(connectionFactory);
		}

	}

}
