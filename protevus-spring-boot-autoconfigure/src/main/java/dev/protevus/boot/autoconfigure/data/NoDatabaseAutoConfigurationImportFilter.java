package dev.protevus.boot.autoconfigure.data;

import java.util.List;
import java.util.Set;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import dev.protevus.boot.autoconfigure.ProtevusProperties;

import org.springframework.beans.factory.BeanClassLoaderAware;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfigurationImportFilter;
import org.springframework.boot.autoconfigure.AutoConfigurationMetadata;
import org.springframework.boot.autoconfigure.condition.ConditionEvaluationReport;
import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;

/**
 * Leaves Spring Boot's R2DBC auto-configuration and Protevus's database features out of
 * an application that has no R2DBC driver and sets no {@code spring.r2dbc.url}: the
 * starter brings Spring Data R2DBC and r2dbc-pool to every application, and Boot would
 * otherwise fail to start one that uses no database. Registered as one of Boot's
 * auto-configuration import filters, so it also works when the application excludes
 * auto-configurations of its own, and reported in the conditions report like Boot's
 * filters. Boot's other R2DBC auto-configurations back off on their own for want of a
 * connection factory. With a driver, Boot's behaviour is kept; without a URL that is an
 * embedded H2 or a failure that {@link MissingR2dbcUrlFailureAnalyzer} explains.
 */
class NoDatabaseAutoConfigurationImportFilter extends SpringBootCondition
		implements AutoConfigurationImportFilter, BeanFactoryAware, BeanClassLoaderAware, EnvironmentAware {

	// Boot's R2DBC auto-configuration by name, as Boot 3.5 and Boot 4 call it.
	static final Set<String> DATABASE_AUTO_CONFIGURATIONS = Set.of(
			"org.springframework.boot.autoconfigure.r2dbc.R2dbcAutoConfiguration",
			"org.springframework.boot.r2dbc.autoconfigure.R2dbcAutoConfiguration",
			DataAutoConfiguration.class.getName(), DataMetricsAutoConfiguration.class.getName(),
			ConnectionPoolHealthContributorAutoConfiguration.class.getName());

	private static final Log logger = LogFactory.getLog(NoDatabaseAutoConfigurationImportFilter.class);

	private BeanFactory beanFactory;

	private ClassLoader classLoader;

	private Environment environment;

	@Override
	public boolean[] match(String[] autoConfigurationClasses, AutoConfigurationMetadata autoConfigurationMetadata) {
		boolean[] matches = new boolean[autoConfigurationClasses.length];
		ConditionOutcome outcome = outcome(this.environment, this.classLoader);
		boolean filtered = false;
		for (int i = 0; i < autoConfigurationClasses.length; i++) {
			String candidate = autoConfigurationClasses[i];
			matches[i] = outcome.isMatch() || candidate == null || !DATABASE_AUTO_CONFIGURATIONS.contains(candidate);
			if (!matches[i]) {
				filtered = true;
				report(candidate, outcome);
			}
		}
		if (filtered) {
			logger.info("No R2DBC driver on the class path and no spring.r2dbc.url: Spring Boot's R2DBC "
					+ "auto-configuration and Protevus's database features are off. To use a database, add a "
					+ "driver (such as org.postgresql:r2dbc-postgresql) and set spring.r2dbc.url.");
		}
		return matches;
	}

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		return outcome(context.getEnvironment(), context.getClassLoader());
	}

	/**
	 * Whether the database auto-configurations may run: Protevus is off, a URL is set, or
	 * a driver is on the class path.
	 */
	static ConditionOutcome outcome(Environment environment, ClassLoader classLoader) {
		ConditionMessage.Builder message = ConditionMessage.forCondition("R2DBC database");
		Binder binder = Binder.get(environment);
		if (!binder.bind(ProtevusProperties.ENABLED, Boolean.class).orElse(true)) {
			return ConditionOutcome.match(message.because(ProtevusProperties.ENABLED + " is false"));
		}
		if (StringUtils.hasText(binder.bind(R2dbcDrivers.URL_PROPERTY, String.class).orElse(null))) {
			return ConditionOutcome.match(message.found("property").items(R2dbcDrivers.URL_PROPERTY));
		}
		List<String> drivers = R2dbcDrivers.providers(classLoader);
		if (!drivers.isEmpty()) {
			return ConditionOutcome.match(message.found("R2DBC driver", "R2DBC drivers").items(drivers));
		}
		return ConditionOutcome.noMatch(message
			.because("no R2DBC driver is on the class path and " + R2dbcDrivers.URL_PROPERTY + " is not set"));
	}

	private void report(String autoConfiguration, ConditionOutcome outcome) {
		if (this.beanFactory instanceof ConfigurableListableBeanFactory listable) {
			ConditionEvaluationReport.get(listable).recordConditionEvaluation(autoConfiguration, this, outcome);
		}
	}

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	@Override
	public void setBeanClassLoader(ClassLoader classLoader) {
		this.classLoader = classLoader;
	}

	@Override
	public void setEnvironment(Environment environment) {
		this.environment = environment;
	}

}
