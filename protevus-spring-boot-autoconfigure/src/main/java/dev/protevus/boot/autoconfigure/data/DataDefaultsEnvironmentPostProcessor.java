package dev.protevus.boot.autoconfigure.data;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.protevus.boot.autoconfigure.ProtevusProperties;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.ClassUtils;

/**
 * Gives Spring Boot's pool keys defaults that suit a reactive service, as the
 * lowest-precedence property source so that every value the application sets wins: a
 * bounded acquire time (Boot waits forever) that no retry doubles, and a maximum size
 * that grows with the CPU count. (r2dbc-pool already validates each connection on
 * acquire, locally unless a validation query or depth is set.) With spring-boot-devtools
 * active it also turns N+1 detection to warn.
 */
class DataDefaultsEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	static final String PROPERTY_SOURCE_NAME = "protevusDataDefaults";

	private static final String DEVTOOLS_PROPERTY_SOURCE = "devtools";

	@Override
	public int getOrder() {
		// After config data, and after devtools adds its defaults.
		return ConfigDataEnvironmentPostProcessor.ORDER + 10;
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		boolean protevusEnabled = Binder.get(environment).bind(ProtevusProperties.ENABLED, Boolean.class).orElse(true);
		if (!protevusEnabled) {
			return;
		}
		Map<String, Object> defaults = new LinkedHashMap<>();
		if (ClassUtils.isPresent("io.r2dbc.pool.ConnectionPool", application.getClassLoader())) {
			defaults.put("spring.r2dbc.pool.max-acquire-time", "5s");
			// r2dbc-pool retries a failed acquire, a timed out one too, so that with
			// Boot's default of 1 an exhausted pool answers after twice the acquire time.
			defaults.put("spring.r2dbc.pool.acquire-retry", "0");
			defaults.put("spring.r2dbc.pool.max-size", Integer.toString(maxSize()));
		}
		if (environment.getPropertySources().contains(DEVTOOLS_PROPERTY_SOURCE)) {
			defaults.put("protevus.data.n-plus-one", "warn");
		}
		if (!defaults.isEmpty()) {
			environment.getPropertySources().addLast(new MapPropertySource(PROPERTY_SOURCE_NAME, defaults));
		}
	}

	/**
	 * Ten connections at least, four per processor beyond that: reactive callers hold a
	 * connection only while a statement runs, so a small pool serves many requests.
	 */
	static int maxSize() {
		return Math.max(10, 4 * Runtime.getRuntime().availableProcessors());
	}

}
