package dev.protevus.boot.autoconfigure.data;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.springframework.beans.BeanUtils;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.Ordered;
import org.springframework.util.ClassUtils;

/**
 * Explains why an application with an R2DBC driver but no {@code spring.r2dbc.url} does
 * not start: Spring Boot starts an embedded database only with H2, so it needs the URL of
 * the driver's database. Names the property and the driver found, and how to run without
 * a database. Ordered before Spring Boot's own analyzer of the same failure.
 */
class MissingR2dbcUrlFailureAnalyzer implements FailureAnalyzer, Ordered {

	// Boot's exception by name, in its Boot 3.5 and its Boot 4 package.
	private static final Set<String> BOOT_EXCEPTIONS = Set.of(
			"org.springframework.boot.autoconfigure.r2dbc.ConnectionFactoryOptionsInitializer$ConnectionFactoryBeanCreationException",
			"org.springframework.boot.r2dbc.autoconfigure.ConnectionFactoryOptionsInitializer$ConnectionFactoryBeanCreationException");

	private static final String NO_URL = "Failed to determine a suitable R2DBC Connection URL";

	@Override
	public FailureAnalysis analyze(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (BOOT_EXCEPTIONS.contains(cause.getClass().getName()) && NO_URL.equals(cause.getMessage())) {
				return analysis(cause);
			}
		}
		return null;
	}

	private FailureAnalysis analysis(Throwable cause) {
		List<String> providers = R2dbcDrivers.providers(ClassUtils.getDefaultClassLoader());
		String drivers = providers.isEmpty() ? "an R2DBC driver"
				: providers.stream().map(MissingR2dbcUrlFailureAnalyzer::describe).collect(Collectors.joining(", "));
		String description = R2dbcDrivers.URL_PROPERTY + " is not set, and Spring Boot found no embedded database "
				+ "to use instead: the class path has " + drivers + ", and Spring Boot starts an embedded database "
				+ "only with H2 (io.r2dbc:r2dbc-h2).";
		String action = "Set " + R2dbcDrivers.URL_PROPERTY
				+ " to your database, for example r2dbc:postgresql://localhost:5432/mydb (with "
				+ "spring.r2dbc.username and spring.r2dbc.password). To run without a database, remove the "
				+ "driver: with no driver and no URL, Protevus leaves R2DBC off.";
		return new FailureAnalysis(description, action, cause);
	}

	/**
	 * The driver's name as R2DBC URLs spell it, with its provider class.
	 */
	private static String describe(String provider) {
		try {
			Object instance = BeanUtils.instantiateClass(ClassUtils.forName(provider, null));
			String driver = (String) instance.getClass().getMethod("getDriver").invoke(instance);
			return "the '" + driver + "' driver (" + provider + ")";
		}
		catch (Exception | LinkageError ex) {
			return "the driver " + provider;
		}
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

}
