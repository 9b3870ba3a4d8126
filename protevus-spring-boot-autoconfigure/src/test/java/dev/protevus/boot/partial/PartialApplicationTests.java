package dev.protevus.boot.partial;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;

import dev.protevus.boot.autoconfigure.StartupFailures;
import dev.protevus.boot.cache.CacheTier;
import dev.protevus.boot.cache.TieredCache;
import dev.protevus.boot.cache.TieredCacheManager;
import dev.protevus.boot.task.BackgroundScheduler;
import dev.protevus.boot.test.TestPostgres;
import dev.protevus.boot.test.TestRedis;
import io.r2dbc.spi.ConnectionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.actuate.health.CompositeHealth;
import org.springframework.boot.actuate.health.HealthComponent;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.condition.ConditionEvaluationReport;
import org.springframework.boot.autoconfigure.r2dbc.R2dbcAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableReactiveWebApplicationContext;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.cache.CacheManager;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.core.io.support.SpringFactoriesLoader.ArgumentResolver;
import org.springframework.data.r2dbc.core.R2dbcEntityTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Applications that use only part of Protevus, built as a user builds them: the whole
 * auto-configuration (through {@code @EnableAutoConfiguration}, so that import filters
 * and ordering are Boot's), Protevus's environment post-processors, and a class path with
 * or without an R2DBC driver ({@link FilteredClassLoader}) and with or without Redis
 * configured. Redis is never running where it is not configured, and Lettuce's own event
 * bus shows whether anything tried to connect to it.
 */
@ExtendWith(OutputCaptureExtension.class)
class PartialApplicationTests {

	private static final String NO_DATABASE_LINE = "No R2DBC driver on the class path and no spring.r2dbc.url";

	private static final List<EnvironmentPostProcessor> PROTEVUS_POST_PROCESSORS = SpringFactoriesLoader
		.forDefaultResourceLocation(PartialApplicationTests.class.getClassLoader())
		.load(EnvironmentPostProcessor.class, ArgumentResolver.none(), (type, name, failure) -> {
		})
		.stream()
		.filter((processor) -> processor.getClass().getName().startsWith("dev.protevus."))
		.toList();

	private static final List<String> FEATURES = List.of("cache", "data", "async", "web", "loadbalancer", "scaling");

	private static final FilteredClassLoader NO_DRIVER = new FilteredClassLoader("io.r2dbc.h2.",
			"io.r2dbc.postgresql.");

	private static final FilteredClassLoader ONLY_POSTGRES = new FilteredClassLoader("io.r2dbc.h2.");

	private final ReactiveWebApplicationContextRunner contextRunner = new ReactiveWebApplicationContextRunner()
		.withUserConfiguration(PartialApplication.class)
		.withBean(RedisConnectAttempts.class, RedisConnectAttempts::new)
		.withPropertyValues("spring.application.name=partial")
		.withInitializer(PartialApplicationTests::postProcessEnvironment);

	@Test
	void onlyTheStarterStartsHealthyWithoutDatabaseOrRedis(CapturedOutput output) {
		this.contextRunner.withClassLoader(NO_DRIVER).run((context) -> {
			assertThat(context).hasNotFailed()
				.doesNotHaveBean(ConnectionFactory.class)
				.doesNotHaveBean(R2dbcEntityTemplate.class)
				.doesNotHaveBean("r2dbcPoolHealthContributor")
				.doesNotHaveBean("dataSettings")
				.hasSingleBean(BackgroundScheduler.class);
			ConditionEvaluationReport report = ConditionEvaluationReport.get(context.getBeanFactory());
			assertThat(report.getConditionAndOutcomesBySource().get(R2dbcAutoConfiguration.class.getName()))
				.singleElement()
				.satisfies((outcome) -> assertThat(outcome.getOutcome().getMessage())
					.contains("no R2DBC driver is on the class path"));
			TieredCache cache = (TieredCache) context.getBean(CacheManager.class).getCache("books");
			cache.put("1", "Dune");
			assertThat(cache.get("1").get()).isEqualTo("Dune");
			assertThat(cache.getSettings().tiers()).doesNotContain(CacheTier.REDIS);
			assertThat(context.getBean(TieredCacheManager.class).getRedisTierSupport()).isNull();
			assertThat(health(context).getStatus()).isEqualTo(Status.UP);
			assertThat(components(context)).doesNotContainKeys("r2dbc", "r2dbcPool", "redis");
			assertThat(context.getBean(RedisConnectAttempts.class).count()).isZero();
		});
		assertThat(output.getOut().lines().filter((line) -> line.contains(NO_DATABASE_LINE))).singleElement()
			.satisfies((line) -> assertThat(line).contains("INFO").contains("add a driver"));
	}

	@Test
	void starterWithH2AndNoUrlStartsAnEmbeddedDatabaseAsBootDoes(CapturedOutput output) {
		this.contextRunner.withClassLoader(new FilteredClassLoader("io.r2dbc.postgresql.")).run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(ConnectionFactory.class).hasBean("dataSettings");
			assertThat(context.getBean(ConnectionFactory.class).getMetadata().getName()).containsIgnoringCase("H2");
			assertThat(health(context).getStatus()).isEqualTo(Status.UP);
			assertThat(components(context)).containsKeys("r2dbc", "r2dbcPool").doesNotContainKey("redis");
			assertThat(context.getBean(RedisConnectAttempts.class).count()).isZero();
		});
		assertThat(output).doesNotContain(NO_DATABASE_LINE);
	}

	@Test
	void starterWithPostgresAndItsUrlUsesTheDatabase() {
		this.contextRunner.withClassLoader(ONLY_POSTGRES)
			.withPropertyValues(properties(TestPostgres.get()::springProperties))
			.run((context) -> {
				assertThat(context).hasNotFailed().hasSingleBean(ConnectionFactory.class);
				assertThat(context.getBean(ConnectionFactory.class).getMetadata().getName())
					.containsIgnoringCase("PostgreSQL");
				assertThat(health(context).getStatus()).isEqualTo(Status.UP);
				assertThat(components(context)).containsKeys("r2dbc", "r2dbcPool");
				assertThat(context.getBean(RedisConnectAttempts.class).count()).isZero();
			});
	}

	@Test
	void starterWithPostgresAndNoUrlFailsNamingTheUrlAndTheDriver() {
		this.contextRunner.withClassLoader(ONLY_POSTGRES).run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = analyzeWith(ONLY_POSTGRES, context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("spring.r2dbc.url")
				.contains("'postgresql' driver (io.r2dbc.postgresql.PostgresqlConnectionFactoryProvider)")
				.doesNotContain("'h2' driver");
			assertThat(analysis.getAction()).contains("Set spring.r2dbc.url").contains("remove the driver");
		});
	}

	@Test
	void withProtevusOffTheApplicationIsPlainSpringBoot() {
		this.contextRunner.withClassLoader(NO_DRIVER)
			.withPropertyValues("protevus.enabled=false")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("Failed to determine a suitable R2DBC Connection URL"));
	}

	@Test
	void starterWithRedisConfiguredUsesItForTheCacheAndHealthAndClosesQuietly(CapturedOutput output) {
		this.contextRunner.withClassLoader(NO_DRIVER)
			.withPropertyValues(properties(TestRedis.get()::springProperties))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				TieredCache cache = (TieredCache) context.getBean(CacheManager.class).getCache("books");
				assertThat(cache.getSettings().tiers()).contains(CacheTier.REDIS);
				cache.put("1", "Dune");
				assertThat(health(context).getStatus()).isEqualTo(Status.UP);
				assertThat(components(context)).containsKey("redis");
				// The count that stays at zero above sees connections when there are
				// some.
				assertThat(context.getBean(RedisConnectAttempts.class).count()).isPositive();
			});
		assertThat(output).doesNotContain("Connection is already closed");
	}

	@Test
	void everyFeatureHasBeansWhenAllAreOn() {
		this.contextRunner.withPropertyValues(h2Url())
			.run((context) -> assertThat(FEATURES).allSatisfy(
					(feature) -> assertThat(beanTypesOf(context, feature)).as("beans of %s", feature).isNotEmpty()));
	}

	@ParameterizedTest
	@FieldSource("FEATURES")
	void eachFeatureCanBeSwitchedOffAloneAndTheApplicationKeepsWorking(String feature) {
		this.contextRunner.withPropertyValues(h2Url(), "protevus." + feature + ".enabled=false").run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(BackgroundScheduler.class);
			assertThat(beanTypesOf(context, feature)).as("beans of %s", feature).isEmpty();
			assertThat(health(context).getStatus()).isEqualTo(Status.UP);
		});
	}

	private static String h2Url() {
		return "spring.r2dbc.url=r2dbc:h2:mem:///partial-" + UUID.randomUUID() + "?options=DB_CLOSE_DELAY=-1";
	}

	private static List<String> beanTypesOf(ConfigurableApplicationContext context, String feature) {
		List<String> packages = Stream.of("", "autoconfigure.", "actuate.")
			.map((part) -> "dev.protevus.boot." + part + feature + ".")
			.toList();
		return Arrays.stream(context.getBeanDefinitionNames())
			.map(context::getType)
			.filter((type) -> type != null && packages.stream().anyMatch(type.getName()::startsWith))
			.map(Class::getName)
			.toList();
	}

	private static String[] properties(Supplier<Map<String, String>> properties) {
		return properties.get()
			.entrySet()
			.stream()
			.map((entry) -> entry.getKey() + "=" + entry.getValue())
			.toArray(String[]::new);
	}

	private static HealthComponent health(AssertableReactiveWebApplicationContext context) {
		return context.getBean(HealthEndpoint.class).health();
	}

	private static Map<String, HealthComponent> components(AssertableReactiveWebApplicationContext context) {
		return ((CompositeHealth) health(context)).getComponents();
	}

	/**
	 * Analyzes a failure as the application would, whose class loader (the thread's
	 * context class loader, as in a packaged application) has only some drivers.
	 */
	private static FailureAnalysis analyzeWith(ClassLoader classLoader, Throwable failure) {
		Thread thread = Thread.currentThread();
		ClassLoader previous = thread.getContextClassLoader();
		thread.setContextClassLoader(classLoader);
		try {
			return StartupFailures.analyze(failure);
		}
		finally {
			thread.setContextClassLoader(previous);
		}
	}

	private static void postProcessEnvironment(ConfigurableApplicationContext context) {
		SpringApplication application = new SpringApplication();
		application.setResourceLoader(context);
		PROTEVUS_POST_PROCESSORS
			.forEach((processor) -> processor.postProcessEnvironment(context.getEnvironment(), application));
	}

}
