package dev.protevus.boot.test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.protevus.boot.test.TestServersContextCustomizerFactory.Kind;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * Puts the connection properties of the requested test servers first in the environment.
 * Equal for equal server sets, so Spring's context cache shares contexts between such
 * tests.
 */
class TestServersContextCustomizer implements ContextCustomizer {

	static final String PROPERTY_SOURCE_NAME = "protevusTestServers";

	private final List<Kind> kinds;

	TestServersContextCustomizer(List<Kind> kinds) {
		this.kinds = List.copyOf(kinds);
	}

	@Override
	public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration mergedConfig) {
		Map<String, Object> properties = new LinkedHashMap<>();
		this.kinds.forEach((kind) -> properties.putAll(kind.server().springProperties()));
		context.getEnvironment().getPropertySources().addFirst(new MapPropertySource(PROPERTY_SOURCE_NAME, properties));
	}

	@Override
	public boolean equals(Object other) {
		return (other instanceof TestServersContextCustomizer customizer) && this.kinds.equals(customizer.kinds);
	}

	@Override
	public int hashCode() {
		return this.kinds.hashCode();
	}

}
