package dev.protevus.boot.test;

import java.lang.annotation.Annotation;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.TestContextAnnotationUtils;

/**
 * Finds {@link WithTestPostgres} and {@link WithTestRedis} on a test class (or an
 * enclosing or super class) and connects its context to those servers.
 */
class TestServersContextCustomizerFactory implements ContextCustomizerFactory {

	@Override
	public ContextCustomizer createContextCustomizer(Class<?> testClass,
			List<ContextConfigurationAttributes> configAttributes) {
		List<Kind> kinds = new ArrayList<>();
		for (Kind kind : Kind.values()) {
			if (TestContextAnnotationUtils.hasAnnotation(testClass, kind.annotation)) {
				kinds.add(kind);
			}
		}
		return kinds.isEmpty() ? null : new TestServersContextCustomizer(kinds);
	}

	enum Kind {

		POSTGRES(WithTestPostgres.class, TestPostgres::get),

		REDIS(WithTestRedis.class, TestRedis::get);

		private final Class<? extends Annotation> annotation;

		private final Supplier<TestServer> server;

		Kind(Class<? extends Annotation> annotation, Supplier<TestServer> server) {
			this.annotation = annotation;
			this.server = server;
		}

		TestServer server() {
			return this.server.get();
		}

	}

}
