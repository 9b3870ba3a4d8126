package dev.protevus.boot.test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import dev.protevus.boot.test.TestServersContextCustomizerFactory.Kind;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.util.ClassUtils;
import org.springframework.util.ObjectUtils;

/**
 * Connects a test's application context to the requested test servers the way Spring
 * Boot's {@code @ServiceConnection} does: with {@code R2dbcConnectionDetails} and
 * {@code RedisConnectionDetails} beans, which Boot's auto-configuration prefers to
 * {@code spring.r2dbc.*} and {@code spring.data.redis.*}, whatever property source sets
 * them. Redis also gets {@code spring.data.redis.url} as a lowest-precedence property,
 * since Protevus decides from the environment whether an application uses Redis. Equal
 * for equal server sets, so Spring's context cache shares contexts between such tests.
 */
class TestServersContextCustomizer implements ContextCustomizer {

	static final String PROPERTY_SOURCE_NAME = "protevusTestServers";

	static final String POSTGRES_BEAN_NAME = "protevusTestPostgresConnectionDetails";

	static final String REDIS_BEAN_NAME = "protevusTestRedisConnectionDetails";

	private static final String R2DBC_OPTIONS_CLASS = "io.r2dbc.spi.ConnectionFactoryOptions";

	private final List<Kind> kinds;

	TestServersContextCustomizer(List<Kind> kinds) {
		this.kinds = List.copyOf(kinds);
	}

	@Override
	public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration mergedConfig) {
		ConfigurableListableBeanFactory beanFactory = context.getBeanFactory();
		Map<String, Object> properties = new LinkedHashMap<>();
		for (Kind kind : this.kinds) {
			switch (kind) {
				case POSTGRES -> {
					// Without R2DBC on the class path there is nothing to connect.
					if (ClassUtils.isPresent(R2DBC_OPTIONS_CLASS, context.getClassLoader())) {
						register(beanFactory, POSTGRES_BEAN_NAME, TestPostgresConnectionDetails.class,
								() -> new TestPostgresConnectionDetails(TestPostgres.get()));
					}
				}
				case REDIS -> {
					register(beanFactory, REDIS_BEAN_NAME, TestRedisConnectionDetails.class,
							() -> new TestRedisConnectionDetails(TestRedis.get()));
					properties.put("spring.data.redis.url", TestRedis.get().url());
				}
			}
		}
		if (!properties.isEmpty()) {
			context.getEnvironment()
				.getPropertySources()
				.addLast(new MapPropertySource(PROPERTY_SOURCE_NAME, properties));
		}
	}

	/**
	 * Registers a connection details bean unless the context already defines one of that
	 * kind (such as a {@code @ServiceConnection}'s), as Boot's registrar does, and as a
	 * fallback bean, so that one the test's configuration defines later wins.
	 */
	private <T> void register(ConfigurableListableBeanFactory beanFactory, String name, Class<T> type,
			Supplier<T> supplier) {
		if (!(beanFactory instanceof BeanDefinitionRegistry registry)) {
			return;
		}
		for (Class<?> connectionDetailsType : type.getInterfaces()) {
			if (!ObjectUtils.isEmpty(beanFactory.getBeanNamesForType(connectionDetailsType, true, false))) {
				return;
			}
		}
		RootBeanDefinition definition = new RootBeanDefinition(type, supplier);
		// Loses to a bean of the test's own configuration, which is not defined yet.
		definition.setFallback(true);
		registry.registerBeanDefinition(name, definition);
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
