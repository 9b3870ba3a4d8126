package dev.protevus.boot.autoconfigure.data;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.protevus.boot.actuate.data.StatementMetrics;
import dev.protevus.boot.autoconfigure.ConditionalOnProtevusEnabled;
import dev.protevus.boot.autoconfigure.ProtevusAutoConfiguration;
import dev.protevus.boot.data.statement.NPlusOneDetector;
import dev.protevus.boot.data.statement.ObservedStatements;
import dev.protevus.boot.data.statement.SlowQueryLog;
import dev.protevus.boot.data.statement.StatementObserver;
import dev.protevus.boot.data.statement.StatementTimeouts;
import io.r2dbc.spi.ConnectionFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.data.r2dbc.R2dbcDataAutoConfiguration;
import org.springframework.boot.autoconfigure.r2dbc.R2dbcAutoConfiguration;
import org.springframework.boot.autoconfigure.r2dbc.R2dbcProperties;
import org.springframework.boot.autoconfigure.r2dbc.R2dbcTransactionManagerAutoConfiguration;
import org.springframework.boot.autoconfigure.web.reactive.WebFluxAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.r2dbc.ConnectionFactoryDecorator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Protevus's database support on top of Spring Boot's R2DBC configuration: pool warm-up,
 * utilization and leak detection, read replicas, the slow-statement log, N+1 detection,
 * statement timeouts, relation loading, capped keyset pagination, and problem answers
 * when the database cannot serve a request (503), a statement ran out of time (504) or a
 * request asks for an unknown relation, a malformed page cursor or a bad page size (400).
 * Every {@code protevus.data.*} value is checked at start-up. Runs after WebFlux's
 * configuration, whose beans its web part looks at, and before Boot's R2DBC transaction
 * manager, which the read replicas' one takes the place of.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = { ProtevusAutoConfiguration.class, R2dbcAutoConfiguration.class,
		R2dbcDataAutoConfiguration.class, WebFluxAutoConfiguration.class },
		before = R2dbcTransactionManagerAutoConfiguration.class)
@ConditionalOnProtevusEnabled
@ConditionalOnBooleanProperty(name = "protevus.data.enabled", matchIfMissing = true)
@ConditionalOnClass(ConnectionFactory.class)
@EnableConfigurationProperties(DataProperties.class)
@Import({ DataConfigurations.ReplicasConfiguration.class, DataConfigurations.PoolConfiguration.class,
		DataConfigurations.RelationsConfiguration.class, DataConfigurations.WebConfiguration.class })
public class DataAutoConfiguration {

	static Duration acquireTime(R2dbcProperties properties) {
		Duration configured = properties.getPool().getMaxAcquireTime();
		return (configured != null) ? configured : Duration.ofSeconds(5);
	}

	/**
	 * The settings, checked: a singleton that the statement observation needs, so that a
	 * value that cannot work fails start-up even when the part it configures is off.
	 */
	@Bean
	DataSettings dataSettings(DataProperties properties) {
		return new DataSettings(properties);
	}

	/**
	 * Has every statement of the application's connection factory reported to the
	 * observers that are switched on (slow-statement log, N+1 detection, metrics); Spring
	 * Boot applies it to the driver's factory, inside the pool. It does not back off to
	 * an application's {@code ConnectionFactoryDecorator}: Boot applies every decorator
	 * bean, so an application's own decorator is added to this one rather than meant to
	 * replace it. Switch the observers off with their properties instead.
	 */
	@Bean
	ConnectionFactoryDecorator statementObservation(DataProperties properties, DataSettings settings,
			ObjectProvider<StatementMetrics> metrics) {
		List<StatementObserver> observers = new ArrayList<>();
		Duration slow = settings.slowQueryThreshold();
		if (slow != null) {
			observers.add(new SlowQueryLog(slow));
		}
		if (properties.getNPlusOne() != DataProperties.NPlusOne.OFF) {
			observers.add(new NPlusOneDetector(settings.nPlusOneThreshold(),
					properties.getNPlusOne() == DataProperties.NPlusOne.FAIL));
		}
		metrics.ifAvailable(observers::add);
		return (connectionFactory) -> observers.isEmpty() ? connectionFactory
				: new ObservedStatements(connectionFactory, observers);
	}

	/**
	 * Bounds how long statements run, when {@code protevus.data.statement-timeout} is
	 * set. Applied before the statement observation, closest to the driver, so that a
	 * timed out statement is observed as failed.
	 */
	@Bean
	@Order(Ordered.HIGHEST_PRECEDENCE + 100)
	@ConditionalOnProperty("protevus.data.statement-timeout")
	ConnectionFactoryDecorator statementTimeout(DataSettings settings) {
		Duration timeout = settings.statementTimeout();
		return (connectionFactory) -> (timeout != null) ? new StatementTimeouts(connectionFactory, timeout)
				: connectionFactory;
	}

}
