package dev.protevus.boot.test;

import java.util.List;
import java.util.Map;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * Gives every Spring test context defaults that help find problems early, as the
 * lowest-precedence property source: {@code protevus.data.n-plus-one=warn}.
 */
class TestDefaultsContextCustomizerFactory implements ContextCustomizerFactory {

	@Override
	public ContextCustomizer createContextCustomizer(Class<?> testClass,
			List<ContextConfigurationAttributes> configAttributes) {
		return new TestDefaultsContextCustomizer();
	}

	static final class TestDefaultsContextCustomizer implements ContextCustomizer {

		static final String PROPERTY_SOURCE_NAME = "protevusTestDefaults";

		@Override
		public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration mergedConfig) {
			context.getEnvironment()
				.getPropertySources()
				.addLast(new MapPropertySource(PROPERTY_SOURCE_NAME, Map.of("protevus.data.n-plus-one", "warn")));
		}

		@Override
		public boolean equals(Object other) {
			return other instanceof TestDefaultsContextCustomizer;
		}

		@Override
		public int hashCode() {
			return TestDefaultsContextCustomizer.class.hashCode();
		}

	}

}
