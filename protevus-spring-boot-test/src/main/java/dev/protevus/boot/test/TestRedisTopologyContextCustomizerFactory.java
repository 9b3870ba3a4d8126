package dev.protevus.boot.test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.test.context.TestContextAnnotationUtils;

/**
 * Finds {@link WithTestRedisCluster} or {@link WithTestRedisSentinel} on a test class (or
 * an enclosing or super class) and connects its context to that Redis, as
 * {@link WithTestRedis} does to the standalone one: connection details as a fallback
 * bean, and Boot's connection keys as the lowest-precedence properties.
 */
class TestRedisTopologyContextCustomizerFactory implements ContextCustomizerFactory {

	@Override
	public ContextCustomizer createContextCustomizer(Class<?> testClass,
			List<ContextConfigurationAttributes> configAttributes) {
		boolean cluster = TestContextAnnotationUtils.hasAnnotation(testClass, WithTestRedisCluster.class);
		boolean sentinel = TestContextAnnotationUtils.hasAnnotation(testClass, WithTestRedisSentinel.class);
		if (cluster && sentinel) {
			throw new IllegalStateException(testClass.getName()
					+ " asks for both @WithTestRedisCluster and @WithTestRedisSentinel; a context has one Redis");
		}
		if (cluster) {
			return new Customizer(Topology.CLUSTER);
		}
		return sentinel ? new Customizer(Topology.SENTINEL) : null;
	}

	enum Topology {

		CLUSTER, SENTINEL

	}

	/**
	 * Equal for the same topology, so Spring's context cache shares contexts between such
	 * tests.
	 */
	static final class Customizer implements ContextCustomizer {

		static final String PROPERTY_SOURCE_NAME = "protevusTestRedisTopology";

		static final String BEAN_NAME = "protevusTestRedisTopologyConnectionDetails";

		private final Topology topology;

		Customizer(Topology topology) {
			this.topology = topology;
		}

		@Override
		public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration mergedConfig) {
			TestServer server = (this.topology == Topology.CLUSTER) ? TestRedisCluster.get() : TestRedisSentinel.get();
			ConfigurableListableBeanFactory beanFactory = context.getBeanFactory();
			if (beanFactory instanceof BeanDefinitionRegistry registry
					&& !TestRedisTopologyConnectionDetails.isDefinedIn(beanFactory)) {
				RootBeanDefinition definition = new RootBeanDefinition(TestRedisTopologyConnectionDetails.class,
						() -> (this.topology == Topology.CLUSTER)
								? TestRedisTopologyConnectionDetails.of(TestRedisCluster.get())
								: TestRedisTopologyConnectionDetails.of(TestRedisSentinel.get()));
				// Loses to a bean of the test's own configuration, which is not defined
				// yet.
				definition.setFallback(true);
				registry.registerBeanDefinition(BEAN_NAME, definition);
			}
			Map<String, Object> properties = new LinkedHashMap<>(server.springProperties());
			context.getEnvironment()
				.getPropertySources()
				.addLast(new MapPropertySource(PROPERTY_SOURCE_NAME, properties));
		}

		@Override
		public boolean equals(Object other) {
			return (other instanceof Customizer customizer) && this.topology == customizer.topology;
		}

		@Override
		public int hashCode() {
			return this.topology.hashCode();
		}

	}

}
