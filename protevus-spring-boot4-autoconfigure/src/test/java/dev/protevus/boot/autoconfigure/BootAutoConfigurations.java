package dev.protevus.boot.autoconfigure;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.cache.autoconfigure.metrics.CacheMetricsAutoConfiguration;
import org.springframework.boot.data.r2dbc.autoconfigure.DataR2dbcAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration;
import org.springframework.boot.http.codec.autoconfigure.CodecsAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcAutoConfiguration;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcTransactionManagerAutoConfiguration;
import org.springframework.boot.session.autoconfigure.SessionAutoConfiguration;
import org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.boot.web.server.autoconfigure.reactive.ReactiveWebServerConfiguration;
import org.springframework.boot.webflux.autoconfigure.HttpHandlerAutoConfiguration;
import org.springframework.boot.webflux.autoconfigure.WebFluxAutoConfiguration;
import org.springframework.boot.webflux.autoconfigure.error.ErrorWebFluxAutoConfiguration;

/**
 * Spring Boot's own auto-configurations that the shared auto-configuration tests (in
 * {@code protevus-spring-boot-autoconfigure/src/test/java}) start beside Protevus's, as
 * Boot 4 names them; the Boot 3.5 module's test tree has a class of the same name that
 * names Boot 3.5's.
 */
public final class BootAutoConfigurations {

	private BootAutoConfigurations() {
	}

	/**
	 * Spring's cache abstraction ({@code spring.cache.*}).
	 * @return the auto-configurations
	 */
	public static AutoConfigurations cache() {
		return AutoConfigurations.of(CacheAutoConfiguration.class);
	}

	/**
	 * The meters of Spring's caches.
	 * @return the auto-configurations
	 */
	public static AutoConfigurations cacheMetrics() {
		return AutoConfigurations.of(CacheMetricsAutoConfiguration.class);
	}

	/**
	 * Jackson's {@code JsonMapper} (Jackson 3), which Protevus's Boot 4
	 * auto-configurations order themselves after; the runtime's Jackson 2
	 * {@code ObjectMapper} is its own.
	 * @return the auto-configurations
	 */
	public static AutoConfigurations jackson() {
		return AutoConfigurations.of(JacksonAutoConfiguration.class);
	}

	/**
	 * Micrometer's core metrics support.
	 * @return the auto-configurations
	 */
	public static AutoConfigurations metrics() {
		return AutoConfigurations.of(MetricsAutoConfiguration.class);
	}

	/**
	 * The composite meter registry over every registry in the context.
	 * @return the auto-configurations
	 */
	public static AutoConfigurations compositeMeterRegistry() {
		return AutoConfigurations.of(CompositeMeterRegistryAutoConfiguration.class);
	}

	/**
	 * The in-memory meter registry.
	 * @return the auto-configurations
	 */
	public static AutoConfigurations simpleMetricsExport() {
		return AutoConfigurations.of(SimpleMetricsExportAutoConfiguration.class);
	}

	/**
	 * Spring Data Redis, imperative and reactive ({@code spring.data.redis.*}).
	 * @return the auto-configurations
	 */
	public static AutoConfigurations redis() {
		return AutoConfigurations.of(DataRedisAutoConfiguration.class, DataRedisReactiveAutoConfiguration.class);
	}

	/**
	 * Spring Session with its Redis store, which Boot 4 auto-configures separately
	 * ({@code spring.session.*}), and the {@code server.*} properties Boot 4's session
	 * auto-configuration reads (Boot 3.5's bound them itself; in an application the web
	 * server's auto-configuration imports them).
	 * @return the auto-configurations
	 */
	public static AutoConfigurations session() {
		return AutoConfigurations.of(SessionAutoConfiguration.class, SessionDataRedisAutoConfiguration.class,
				ReactiveWebServerConfiguration.class);
	}

	/**
	 * R2DBC's connection factory and pool ({@code spring.r2dbc.*}).
	 * @return the auto-configurations
	 */
	public static AutoConfigurations r2dbc() {
		return AutoConfigurations.of(R2dbcAutoConfiguration.class);
	}

	/**
	 * Spring Data R2DBC's entity template.
	 * @return the auto-configurations
	 */
	public static AutoConfigurations r2dbcData() {
		return AutoConfigurations.of(DataR2dbcAutoConfiguration.class);
	}

	/**
	 * The R2DBC transaction manager and Spring's transaction support.
	 * @return the auto-configurations
	 */
	public static AutoConfigurations r2dbcTransactions() {
		return AutoConfigurations.of(R2dbcTransactionManagerAutoConfiguration.class,
				TransactionAutoConfiguration.class);
	}

	/**
	 * WebFlux with Boot's error handling, HTTP handler and codecs.
	 * @return the auto-configurations
	 */
	public static AutoConfigurations webflux() {
		return AutoConfigurations.of(WebFluxAutoConfiguration.class, ErrorWebFluxAutoConfiguration.class,
				HttpHandlerAutoConfiguration.class, CodecsAutoConfiguration.class);
	}

}
