package dev.protevus.boot.test;

import java.util.List;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.test.context.TestContextAnnotationUtils;
import org.springframework.util.ClassUtils;

/**
 * Registers a {@link StatementCounter} bean in the contexts of tests annotated with
 * {@link WithStatementCounter}, when R2DBC is on the class path; the counter listens
 * through r2dbc-proxy, which the test must then have too.
 */
class StatementCounterContextCustomizerFactory implements ContextCustomizerFactory {

	static final String BEAN_NAME = "protevusStatementCounter";

	@Override
	public ContextCustomizer createContextCustomizer(Class<?> testClass,
			List<ContextConfigurationAttributes> configAttributes) {
		if (!TestContextAnnotationUtils.hasAnnotation(testClass, WithStatementCounter.class)
				|| !ClassUtils.isPresent("io.r2dbc.spi.ConnectionFactory", testClass.getClassLoader())) {
			return null;
		}
		if (!ClassUtils.isPresent("io.r2dbc.proxy.ProxyConnectionFactory", testClass.getClassLoader())) {
			throw new IllegalStateException("@WithStatementCounter on " + testClass.getName()
					+ " needs io.r2dbc:r2dbc-proxy: add it as a test dependency (its version comes from Spring Boot)");
		}
		return new StatementCounterContextCustomizer();
	}

	static final class StatementCounterContextCustomizer implements ContextCustomizer {

		@Override
		public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration mergedConfig) {
			ConfigurableListableBeanFactory beanFactory = context.getBeanFactory();
			if (beanFactory instanceof BeanDefinitionRegistry registry && !registry.containsBeanDefinition(BEAN_NAME)) {
				registry.registerBeanDefinition(BEAN_NAME, new RootBeanDefinition(StatementCounter.class));
			}
		}

		@Override
		public boolean equals(Object other) {
			return other instanceof StatementCounterContextCustomizer;
		}

		@Override
		public int hashCode() {
			return StatementCounterContextCustomizer.class.hashCode();
		}

	}

}
