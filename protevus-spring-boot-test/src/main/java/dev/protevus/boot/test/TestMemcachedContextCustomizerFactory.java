package dev.protevus.boot.test;

import java.util.List;
import java.util.Map;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.test.context.TestContextAnnotationUtils;

/**
 * Finds {@link WithTestMemcached} on a test class (or an enclosing or super class) and
 * points its context at {@link TestMemcached}. Memcached has no Spring Boot connection
 * details, so the address goes in as the highest-precedence property source.
 */
class TestMemcachedContextCustomizerFactory implements ContextCustomizerFactory {

	@Override
	public ContextCustomizer createContextCustomizer(Class<?> testClass,
			List<ContextConfigurationAttributes> configAttributes) {
		return TestContextAnnotationUtils.hasAnnotation(testClass, WithTestMemcached.class)
				? new TestMemcachedContextCustomizer() : null;
	}

	/**
	 * Equal to every other, so Spring's context cache shares contexts between such tests.
	 */
	static final class TestMemcachedContextCustomizer implements ContextCustomizer {

		static final String PROPERTY_SOURCE_NAME = "protevusTestMemcached";

		@Override
		public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration mergedConfig) {
			context.getEnvironment()
				.getPropertySources()
				.addFirst(new MapPropertySource(PROPERTY_SOURCE_NAME,
						Map.copyOf(TestMemcached.get().springProperties())));
		}

		@Override
		public boolean equals(Object other) {
			return other instanceof TestMemcachedContextCustomizer;
		}

		@Override
		public int hashCode() {
			return TestMemcachedContextCustomizer.class.hashCode();
		}

	}

}
