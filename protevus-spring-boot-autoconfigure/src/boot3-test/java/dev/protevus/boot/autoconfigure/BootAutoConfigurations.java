package dev.protevus.boot.autoconfigure;

import org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.metrics.cache.CacheMetricsAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.cache.CacheAutoConfiguration;
import org.springframework.boot.autoconfigure.data.r2dbc.R2dbcDataAutoConfiguration;
import org.springframework.boot.autoconfigure.data.redis.RedisAutoConfiguration;
import org.springframework.boot.autoconfigure.data.redis.RedisReactiveAutoConfiguration;
import org.springframework.boot.autoconfigure.http.codec.CodecsAutoConfiguration;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.autoconfigure.r2dbc.R2dbcAutoConfiguration;
import org.springframework.boot.autoconfigure.r2dbc.R2dbcTransactionManagerAutoConfiguration;
import org.springframework.boot.autoconfigure.session.SessionAutoConfiguration;
import org.springframework.boot.autoconfigure.transaction.TransactionAutoConfiguration;
import org.springframework.boot.autoconfigure.web.reactive.HttpHandlerAutoConfiguration;
import org.springframework.boot.autoconfigure.web.reactive.WebFluxAutoConfiguration;
import org.springframework.boot.autoconfigure.web.reactive.error.ErrorWebFluxAutoConfiguration;

/**
 * Spring Boot's own auto-configurations that the shared auto-configuration tests start
 * beside Protevus's, as Boot 3.5 names them. Boot 4 moved them to other packages, so
 * {@code protevus-spring-boot4-autoconfigure}'s test tree has a class of the same name
 * that names Boot 4's; the tests themselves name neither.
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
	 * Jackson's {@code ObjectMapper}.
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
		return AutoConfigurations.of(RedisAutoConfiguration.class, RedisReactiveAutoConfiguration.class);
	}

	/**
	 * Spring Session with the store it finds ({@code spring.session.*}).
	 * @return the auto-configurations
	 */
	public static AutoConfigurations session() {
		return AutoConfigurations.of(SessionAutoConfiguration.class);
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
		return AutoConfigurations.of(R2dbcDataAutoConfiguration.class);
	}

	/**
	 * The R2DBC transaction manager and Spring's transaction support.
	 * @return the auto-configurations
	 */
	public static AutoConfigurations r2dbcTransactions() {
		return AutoConfigurations.of(R2dbcTransactionManagerAutoConfiguration.class, TransactionAutoConfiguration.class);
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
