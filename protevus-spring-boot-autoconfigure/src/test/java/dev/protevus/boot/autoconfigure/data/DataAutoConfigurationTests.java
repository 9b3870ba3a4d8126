package dev.protevus.boot.autoconfigure.data;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.protevus.boot.actuate.data.StatementMetrics;
import dev.protevus.boot.autoconfigure.BootAutoConfigurations;
import dev.protevus.boot.autoconfigure.BootHealth;
import dev.protevus.boot.autoconfigure.ProtevusAutoConfiguration;
import dev.protevus.boot.autoconfigure.StartupFailures;
import dev.protevus.boot.data.NPlusOneQueryException;
import dev.protevus.boot.data.PoolUtilization;
import dev.protevus.boot.data.StatementScope;
import dev.protevus.boot.data.relation.RelationDefinition;
import dev.protevus.boot.data.relation.RelationRegistry;
import dev.protevus.boot.data.pool.ConnectionPoolWarmup;
import dev.protevus.boot.data.pool.ConnectionPools;
import dev.protevus.boot.data.pool.LeakDetectingConnectionFactory;
import dev.protevus.boot.data.relation.Relations;
import dev.protevus.boot.task.BackgroundScheduler;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import dev.protevus.boot.data.query.KeysetPaginations;
import dev.protevus.boot.data.statement.StatementTimeouts;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.PersistenceCreator;
import org.springframework.data.annotation.Transient;
import org.springframework.data.r2dbc.core.R2dbcEntityTemplate;
import org.springframework.data.relational.core.mapping.Table;
import org.springframework.r2dbc.core.DatabaseClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@ExtendWith(OutputCaptureExtension.class)
class DataAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ProtevusAutoConfiguration.class, DataAutoConfiguration.class,
				DataMetricsAutoConfiguration.class, ConnectionPoolHealthContributorAutoConfiguration.class))
		.withConfiguration(BootAutoConfigurations.r2dbc())
		.withConfiguration(BootAutoConfigurations.r2dbcData())
		.withPropertyValues(
				"spring.r2dbc.url=r2dbc:h2:mem:///data-test-" + java.util.UUID.randomUUID()
						+ "?options=DB_CLOSE_DELAY=-1",
				"spring.r2dbc.pool.initial-size=3", "spring.r2dbc.pool.max-size=4",
				"spring.r2dbc.pool.max-acquire-time=500ms");

	@Test
	void warmsUpTheInitialConnectionsAtStartUp() {
		this.contextRunner.run((context) -> {
			ConnectionPool pool = ConnectionPools.find(context.getBean(ConnectionFactory.class));
			assertThat(pool.getMetrics().orElseThrow().allocatedSize()).isEqualTo(3);
			assertThat(pool.getMetrics().orElseThrow().acquiredSize()).isZero();
		});
	}

	@Test
	void warmUpCanBeSwitchedOff() {
		this.contextRunner.withPropertyValues("protevus.data.pool.warmup=false")
			.run((context) -> assertThat(context).doesNotHaveBean(ConnectionPoolWarmup.class)
				.getBean(ConnectionFactory.class)
				.satisfies((
						factory) -> assertThat(ConnectionPools.find(factory).getMetrics().orElseThrow().allocatedSize())
							.isZero()));
	}

	@Test
	void poolUtilizationFollowsAcquiredConnections() {
		this.contextRunner.run((context) -> {
			PoolUtilization utilization = context.getBean(PoolUtilization.class);
			ConnectionFactory connectionFactory = context.getBean(ConnectionFactory.class);
			assertThat(utilization.maxSize()).isEqualTo(4);
			List<Connection> held = hold(connectionFactory, 2);
			assertThat(utilization.acquired()).isEqualTo(2);
			assertThat(utilization.utilization()).isEqualTo(0.5);
			release(held);
			assertThat(utilization.acquired()).isZero();
		});
	}

	@Test
	void poolHealthIsUpWithCountsAndDownWhenNoConnectionIsFree() {
		this.contextRunner.run((context) -> {
			Object health = context.getBean("r2dbcPoolHealthContributor");
			BootHealth.Checked up = BootHealth.check(health);
			assertThat(up.status()).isEqualTo("UP");
			assertThat(up.details()).containsEntry("max", 4).containsKeys("acquired", "idle", "pending");
			List<Connection> held = hold(context.getBean(ConnectionFactory.class), 4);
			try {
				BootHealth.Checked down = BootHealth.check(health);
				assertThat(down.status()).isEqualTo("DOWN");
				assertThat(down.details()).containsEntry("acquired", 4);
			}
			finally {
				release(held);
			}
		});
	}

	@ParameterizedTest
	@ValueSource(strings = { "management.health.r2dbc-pool.enabled", "management.health.r2dbcPool.enabled",
			"management.health.defaults.enabled" })
	void poolHealthCanBeSwitchedOff(String key) {
		this.contextRunner.withPropertyValues(key + "=false")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean("r2dbcPoolHealthContributor"));
	}

	@Test
	void poolHealthCanBeSwitchedOnWhenTheDefaultsAreOff() {
		this.contextRunner
			.withPropertyValues("management.health.defaults.enabled=false", "management.health.r2dbc-pool.enabled=true")
			.run((context) -> assertThat(context).hasBean("r2dbcPoolHealthContributor"));
	}

	@Test
	void applicationsOwnPoolHealthContributorWins() {
		this.contextRunner.withUserConfiguration(OwnPoolHealthConfiguration.class)
			.run((context) -> assertThat(context).getBean("r2dbcPoolHealthContributor")
				.isSameAs(OwnPoolHealthConfiguration.CONTRIBUTOR));
	}

	@Test
	void timesStatementsByTypeAndOutcome() {
		this.contextRunner.withBean(SimpleMeterRegistry.class).run((context) -> {
			DatabaseClient client = context.getBean(DatabaseClient.class);
			client.sql("CREATE TABLE numbers (n INT)").then().block();
			client.sql("INSERT INTO numbers VALUES (1)").then().block();
			client.sql("SELECT n FROM numbers").fetch().all().blockLast();
			StepVerifier.create(client.sql("SELECT nothing FROM nowhere").then()).expectError().verify();
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.get("protevus.data.statements")
				.tags("type", "select", "outcome", "success")
				.timer()
				.count()).isPositive();
			assertThat(registry.get("protevus.data.statements")
				.tags("type", "insert", "outcome", "success")
				.timer()
				.count()).isOne();
			assertThat(
					registry.get("protevus.data.statements").tags("type", "select", "outcome", "error").timer().count())
				.isPositive();
		});
	}

	@Test
	void slowStatementsAreLoggedWithoutTheirValues(CapturedOutput output) {
		this.contextRunner.withPropertyValues("protevus.data.slow-query-threshold=1ns").run((context) -> {
			DatabaseClient client = context.getBean(DatabaseClient.class);
			client.sql("SELECT :secret AS s, 'literal' AS l").bind("secret", "hunter2").fetch().one().block();
			assertThat(output).contains("Slow statement").contains("'***'").contains("values masked");
			assertThat(output).doesNotContain("hunter2").doesNotContain("'literal'");
		});
	}

	@Test
	void repeatedStatementInOneScopeIsReportedOnceInWarnMode(CapturedOutput output) {
		this.contextRunner.withPropertyValues("protevus.data.n-plus-one=warn", "protevus.data.n-plus-one-threshold=5")
			.run((context) -> {
				DatabaseClient client = context.getBean(DatabaseClient.class);
				StatementScope
					.tracked(Flux.range(0, 12)
						.concatMap((i) -> client.sql("SELECT " + i + " AS n, :v AS v").bind("v", i).fetch().one()),
							"GET /books")
					.blockLast(Duration.ofSeconds(10));
				assertThat(output.getOut().lines().filter((line) -> line.contains("Possible N+1 queries"))).hasSize(1);
				assertThat(output).contains("in GET /books").contains("SELECT ? AS n, ? AS v");
			});
	}

	@Test
	void repeatedStatementFailsInFailMode() {
		this.contextRunner.withPropertyValues("protevus.data.n-plus-one=fail", "protevus.data.n-plus-one-threshold=3")
			.run((context) -> {
				DatabaseClient client = context.getBean(DatabaseClient.class);
				StepVerifier
					.create(StatementScope.tracked(
							Flux.range(0, 5).concatMap((i) -> client.sql("SELECT :v AS v").bind("v", i).fetch().one()),
							"job"))
					.expectNextCount(3)
					.expectErrorSatisfies((ex) -> assertThat(NestedExceptionUtils.getMostSpecificCause(ex))
						.isInstanceOf(NPlusOneQueryException.class)
						.hasMessageContaining("ran 4 times in job"))
					.verify(Duration.ofSeconds(10));
			});
	}

	@Test
	void statementsOutsideAScopeAreNotCounted(CapturedOutput output) {
		this.contextRunner.withPropertyValues("protevus.data.n-plus-one=fail", "protevus.data.n-plus-one-threshold=1")
			.run((context) -> {
				DatabaseClient client = context.getBean(DatabaseClient.class);
				Flux.range(0, 5).concatMap((i) -> client.sql("SELECT :v AS v").bind("v", i).fetch().one()).blockLast();
				assertThat(output).doesNotContain("N+1");
			});
	}

	@Test
	void nPlusOneDetectionIsOffByDefault(CapturedOutput output) {
		this.contextRunner.run((context) -> {
			DatabaseClient client = context.getBean(DatabaseClient.class);
			StatementScope.tracked(Flux.range(0, 30).concatMap((i) -> client.sql("SELECT 1").fetch().one()), "scope")
				.blockLast();
			assertThat(output).doesNotContain("N+1");
		});
	}

	@Test
	void connectionHeldTooLongIsReportedWithWhereItWasAcquired(CapturedOutput output) {
		this.contextRunner.withPropertyValues("protevus.data.pool.leak-detection-threshold=200ms").run((context) -> {
			ConnectionFactory connectionFactory = context.getBean(ConnectionFactory.class);
			assertThat(connectionFactory).isInstanceOf(LeakDetectingConnectionFactory.class);
			assertThat(ConnectionPools.find(connectionFactory)).isNotNull();
			List<Connection> held = hold(connectionFactory, 1);
			await().atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(output).contains("possible leak").contains("acquired here"));
			release(held);
			assertThat(context.getBean(PoolUtilization.class).acquired()).isZero();
			// The check runs on the shared scheduler, not on a thread of its own.
			assertThat(context).hasSingleBean(BackgroundScheduler.class);
			assertThat(Thread.getAllStackTraces().keySet())
				.noneMatch((thread) -> thread.getName().contains("leak-detection"));
		});
	}

	@Test
	void slowQueryLogCanBeSwitchedOffWithZero(CapturedOutput output) {
		this.contextRunner.withPropertyValues("protevus.data.slow-query-threshold=0").run((context) -> {
			assertThat(context).hasNotFailed();
			context.getBean(DatabaseClient.class).sql("SELECT 1").fetch().one().block(Duration.ofSeconds(5));
			assertThat(output).doesNotContain("Slow statement");
		});
	}

	@ParameterizedTest
	@CsvSource({ "protevus.data.relations.chunk-size, 0", "protevus.data.relations.lazy-max-batch-size, -1",
			"protevus.data.relations.lazy-batch-window, 0ms", "protevus.data.n-plus-one-threshold, 0",
			"protevus.data.slow-query-threshold, -1ms", "protevus.data.pool.leak-detection-threshold, 0s",
			"protevus.data.pool.leak-detection-threshold, -5s", "protevus.data.statement-timeout, 0s",
			"protevus.data.statement-timeout, -1s", "protevus.data.pagination.max-limit, 0" })
	void valueThatCannotWorkFailsStartUpNamingTheProperty(String property, String value) {
		this.contextRunner.withPropertyValues(property + "=" + value).run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = StartupFailures.analyze(context.getStartupFailure());
			assertThat(analysis).as("failure analysis of %s", context.getStartupFailure()).isNotNull();
			assertThat(analysis.getDescription()).contains("'" + property + "'");
			assertThat(analysis.getAction()).contains(property);
		});
	}

	@Test
	void valueThatCannotWorkFailsStartUpEvenWithoutSpringDataR2dbc() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ProtevusAutoConfiguration.class, DataAutoConfiguration.class))
			.withConfiguration(BootAutoConfigurations.r2dbc())
			.withPropertyValues("spring.r2dbc.url=r2dbc:h2:mem:///nodata", "protevus.data.relations.chunk-size=0")
			.run((context) -> assertThat(StartupFailures.analyze(context.getStartupFailure()).getDescription())
				.contains("protevus.data.relations.chunk-size"));
	}

	@Test
	void statementsAreNotTimedUnlessAStatementTimeoutIsSet() {
		this.contextRunner.run((context) -> {
			assertThat(context).doesNotHaveBean("statementTimeout");
			assertThat(ConnectionPools.find(context.getBean(ConnectionFactory.class)).unwrap())
				.isNotInstanceOf(StatementTimeouts.class);
		});
	}

	@Test
	void statementTimeoutBoundsStatementsWithTheDriversFactoryInsideThePool() {
		this.contextRunner
			.withPropertyValues("protevus.data.statement-timeout=750ms", "protevus.data.slow-query-threshold=0")
			.run((context) -> {
				assertThat(context).hasBean("statementTimeout");
				ConnectionFactory inner = ConnectionPools.find(context.getBean(ConnectionFactory.class)).unwrap();
				assertThat(inner).isInstanceOfSatisfying(StatementTimeouts.class,
						(timeouts) -> assertThat(timeouts.getTimeout()).isEqualTo(Duration.ofMillis(750)));
				assertThat(context.getBean(DatabaseClient.class)
					.sql("SELECT 1")
					.fetch()
					.rowsUpdated()
					.block(Duration.ofSeconds(5))).isNotNull();
			});
	}

	@Test
	void keysetPaginationsAreCappedAtTheMaximumPageSize() {
		this.contextRunner
			.run((context) -> assertThat(context.getBean(KeysetPaginations.class).getMaxLimit()).isEqualTo(1000));
		this.contextRunner.withPropertyValues("protevus.data.pagination.max-limit=200")
			.run((context) -> assertThat(context.getBean(KeysetPaginations.class).getMaxLimit()).isEqualTo(200));
	}

	@Test
	void applicationsOwnKeysetPaginationsWin() {
		this.contextRunner.withUserConfiguration(OwnKeysetPaginationsConfiguration.class)
			.run((context) -> assertThat(context).getBean(KeysetPaginations.class)
				.extracting(KeysetPaginations::getMaxLimit)
				.isEqualTo(7));
	}

	@Test
	void providesRelationsValidatedAgainstTheMapping() {
		this.contextRunner
			.withBean(RelationRegistryCustomizer.class,
					() -> (registry) -> registry.register(Writer.class, "novels",
							RelationDefinition.hasMany(Novel.class, "writer_id")))
			.withPropertyValues("protevus.data.relations.chunk-size=42")
			.run((context) -> {
				assertThat(context).hasSingleBean(Relations.class).hasSingleBean(RelationRegistry.class);
				assertThat(context.getBean(RelationRegistry.class).getRelationNames(Writer.class))
					.containsExactly("novels");
			});
	}

	@Test
	void invalidRelationFailsStartUpNamingTheEntityAndTheFix() {
		this.contextRunner
			.withBean(RelationRegistryCustomizer.class,
					() -> (registry) -> registry.register(Writer.class, "novels",
							RelationDefinition.hasMany(Novel.class, "writr_id")))
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = new InvalidRelationFailureAnalyzer().analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("novels", Writer.class.getName(), "writr_id");
				assertThat(analysis.getAction()).isNotBlank();
			});
	}

	@Test
	void applicationsOwnRelationRegistryWins() {
		this.contextRunner.withUserConfiguration(OwnRelationRegistryConfiguration.class).run((context) -> {
			RelationRegistry own = context.getBean(OwnRelationRegistryConfiguration.class).registry;
			assertThat(context).getBean(RelationRegistry.class).isSameAs(own);
			assertThat(context).hasSingleBean(Relations.class);
		});
	}

	@Test
	void applicationsOwnStatementMetricsWin() {
		this.contextRunner.withUserConfiguration(OwnStatementMetricsConfiguration.class)
			.run((context) -> assertThat(context).getBean(StatementMetrics.class)
				.isSameAs(context.getBean(OwnStatementMetricsConfiguration.class).metrics));
	}

	@Test
	void applicationsOwnRelationsWin() {
		this.contextRunner.withUserConfiguration(OwnRelationsConfiguration.class)
			.run((context) -> assertThat(context).getBean(Relations.class)
				.isSameAs(context.getBean(OwnRelationsConfiguration.class).relations));
	}

	@Test
	void backsOffWhenProtevusIsDisabled() {
		this.contextRunner.withPropertyValues("protevus.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(PoolUtilization.class)
				.doesNotHaveBean(ConnectionPoolWarmup.class)
				.doesNotHaveBean("r2dbcPoolHealthContributor"));
	}

	@Test
	void applicationsOwnPoolUtilizationWins() {
		this.contextRunner.withUserConfiguration(OwnPoolUtilizationConfiguration.class)
			.run((context) -> assertThat(context).getBean(PoolUtilization.class)
				.isSameAs(OwnPoolUtilizationConfiguration.UTILIZATION));
	}

	@Test
	void worksWithoutR2dbcPool() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ProtevusAutoConfiguration.class, DataAutoConfiguration.class,
					ConnectionPoolHealthContributorAutoConfiguration.class))
			.withConfiguration(BootAutoConfigurations.r2dbc())
			.withConfiguration(BootAutoConfigurations.r2dbcData())
			.withClassLoader(new FilteredClassLoader(ConnectionPool.class))
			.withPropertyValues("spring.r2dbc.url=r2dbc:h2:mem:///nopool", "protevus.data.n-plus-one=warn")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(PoolUtilization.class)
				.hasSingleBean(DatabaseClient.class));
	}

	@Table("writers")
	record Writer(@Id Long id, String name, @Transient List<Novel> novels) {

		@PersistenceCreator
		Writer(Long id, String name) {
			this(id, name, null);
		}

	}

	@Table("novels")
	record Novel(@Id Long id, Long writerId, String title) {
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnRelationsConfiguration {

		Relations relations;

		@Bean
		Relations relations(R2dbcEntityTemplate template) {
			this.relations = new Relations(template, new RelationRegistry(template.getConverter().getMappingContext()));
			return this.relations;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnRelationRegistryConfiguration {

		RelationRegistry registry;

		@Bean
		RelationRegistry ownRelationRegistry(R2dbcEntityTemplate template) {
			this.registry = new RelationRegistry(template.getConverter().getMappingContext());
			return this.registry;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnStatementMetricsConfiguration {

		StatementMetrics metrics;

		@Bean
		MeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

		@Bean
		StatementMetrics ownStatementMetrics(MeterRegistry registry) {
			this.metrics = new StatementMetrics(registry);
			return this.metrics;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnPoolUtilizationConfiguration {

		static final PoolUtilization UTILIZATION = new PoolUtilization() {

			@Override
			public int acquired() {
				return 0;
			}

			@Override
			public int idle() {
				return 0;
			}

			@Override
			public int pending() {
				return 0;
			}

			@Override
			public int maxSize() {
				return 42;
			}

		};

		@Bean
		PoolUtilization ownPoolUtilization() {
			return UTILIZATION;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnPoolHealthConfiguration {

		static final Object CONTRIBUTOR = BootHealth.alwaysUp();

		@Bean
		Object r2dbcPoolHealthContributor() {
			return CONTRIBUTOR;
		}

	}

	static List<Connection> hold(ConnectionFactory connectionFactory, int count) {
		List<Connection> held = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			held.add(Mono.from(connectionFactory.create()).block(Duration.ofSeconds(5)));
		}
		return held;
	}

	static void release(List<Connection> held) {
		Flux.fromIterable(held).flatMap(Connection::close).blockLast(Duration.ofSeconds(5));
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnKeysetPaginationsConfiguration {

		@Bean
		KeysetPaginations ownPaginations(R2dbcEntityTemplate template) {
			return new KeysetPaginations(template, 7);
		}

	}

}
