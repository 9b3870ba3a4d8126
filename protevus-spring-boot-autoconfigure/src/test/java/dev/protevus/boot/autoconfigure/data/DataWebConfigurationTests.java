package dev.protevus.boot.autoconfigure.data;

import java.time.Duration;

import dev.protevus.boot.autoconfigure.ProtevusAutoConfiguration;
import dev.protevus.boot.autoconfigure.web.WebLayerAutoConfiguration;
import dev.protevus.boot.data.web.DataProblemMapper;
import dev.protevus.boot.data.web.StatementScopeWebFilter;
import dev.protevus.boot.web.ProblemMapper;
import dev.protevus.boot.web.WebFilterOrder;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.web.reactive.WebFluxAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.server.WebFilter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web part of {@link DataAutoConfiguration}: which beans it contributes to reactive
 * web applications, and that each backs off to the application's own.
 */
class DataWebConfigurationTests {

	private final ReactiveWebApplicationContextRunner contextRunner = new ReactiveWebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ProtevusAutoConfiguration.class, WebLayerAutoConfiguration.class,
				WebFluxAutoConfiguration.class, DataAutoConfiguration.class));

	@Test
	void contributesTheProblemMapperButNoStatementScopeWhileNPlusOneDetectionIsOff() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(DataProblemMapper.class)
			.doesNotHaveBean(StatementScopeWebFilter.class));
		this.contextRunner.withPropertyValues("protevus.data.n-plus-one=off")
			.run((context) -> assertThat(context).doesNotHaveBean(StatementScopeWebFilter.class));
		this.contextRunner.withPropertyValues("protevus.data.n-plus-one=OFF")
			.run((context) -> assertThat(context).doesNotHaveBean(StatementScopeWebFilter.class));
		// What YAML makes of an unquoted off.
		this.contextRunner.withPropertyValues("protevus.data.n-plus-one=false")
			.run((context) -> assertThat(context).doesNotHaveBean(StatementScopeWebFilter.class));
	}

	@Test
	void aModeThatNamesNoModeFailsStartUpNamingTheProperty() {
		this.contextRunner.withPropertyValues("protevus.data.n-plus-one=sometimes")
			.run((context) -> assertThat(context).getFailure()
				.hasStackTraceContaining("protevus.data.n-plus-one")
				.rootCause()
				.hasMessageContaining("sometimes"));
	}

	@Test
	void contributesTheStatementScopeFirstAmongProtevusFiltersWhileNPlusOneDetectionIsOn() {
		for (String mode : new String[] { "warn", "fail", "WARN" }) {
			this.contextRunner.withPropertyValues("protevus.data.n-plus-one=" + mode).run((context) -> {
				assertThat(context).hasSingleBean(StatementScopeWebFilter.class);
				assertThat(context.getBean(StatementScopeWebFilter.class).getOrder())
					.isEqualTo(WebFilterOrder.STATEMENT_SCOPE)
					.isLessThan(WebFilterOrder.RATE_LIMIT);
			});
		}
	}

	@Test
	void applicationsOwnDataProblemMapperWins() {
		this.contextRunner.withUserConfiguration(OwnDataProblemMapperConfiguration.class)
			.run((context) -> assertThat(context).getBean(DataProblemMapper.class)
				.isSameAs(OwnDataProblemMapperConfiguration.MAPPER));
	}

	@Test
	void applicationsOwnStatementScopeWebFilterWins() {
		this.contextRunner.withPropertyValues("protevus.data.n-plus-one=warn")
			.withUserConfiguration(OwnStatementScopeWebFilterConfiguration.class)
			.run((context) -> assertThat(context).getBean(StatementScopeWebFilter.class)
				.isSameAs(OwnStatementScopeWebFilterConfiguration.FILTER));
	}

	@Test
	void contributesNothingToApplicationsThatAreNotReactiveWebApplications() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ProtevusAutoConfiguration.class, DataAutoConfiguration.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(ProblemMapper.class)
				.doesNotHaveBean(WebFilter.class));
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnDataProblemMapperConfiguration {

		static final DataProblemMapper MAPPER = new DataProblemMapper(Duration.ofSeconds(42));

		@Bean
		DataProblemMapper ownDataProblemMapper() {
			return MAPPER;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnStatementScopeWebFilterConfiguration {

		static final StatementScopeWebFilter FILTER = new StatementScopeWebFilter();

		@Bean
		StatementScopeWebFilter ownStatementScopeWebFilter() {
			return FILTER;
		}

	}

}
