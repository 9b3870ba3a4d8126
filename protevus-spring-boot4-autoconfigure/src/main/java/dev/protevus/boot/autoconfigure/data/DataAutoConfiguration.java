package dev.protevus.boot.autoconfigure.data;

import dev.protevus.boot.autoconfigure.ConditionalOnProtevusEnabled;
import dev.protevus.boot.autoconfigure.ProtevusAutoConfiguration;
import io.r2dbc.spi.ConnectionFactory;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.r2dbc.autoconfigure.DataR2dbcAutoConfiguration;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcAutoConfiguration;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcTransactionManagerAutoConfiguration;
import org.springframework.boot.webflux.autoconfigure.WebFluxAutoConfiguration;
import org.springframework.context.annotation.Import;

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
		DataR2dbcAutoConfiguration.class, WebFluxAutoConfiguration.class },
		before = R2dbcTransactionManagerAutoConfiguration.class)
@ConditionalOnProtevusEnabled
@ConditionalOnBooleanProperty(name = "protevus.data.enabled", matchIfMissing = true)
@ConditionalOnClass(ConnectionFactory.class)
@EnableConfigurationProperties(DataProperties.class)
@Import({ R2dbcSettingsConfiguration.class, DataConfigurations.ReplicasConfiguration.class,
		DataConfigurations.PoolConfiguration.class, DataConfigurations.RelationsConfiguration.class,
		DataConfigurations.WebConfiguration.class, DataConfigurations.StatementsConfiguration.class })
public class DataAutoConfiguration {

}
