package dev.protevus.boot.autoconfigure.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import dev.protevus.boot.autoconfigure.InvalidPropertyException;
import dev.protevus.boot.data.replica.ReadReplica;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryOptions;
import io.r2dbc.spi.Option;

import org.springframework.boot.r2dbc.ConnectionFactoryDecorator;
import org.springframework.lang.Nullable;
import org.springframework.util.StringUtils;

/**
 * Builds each read replica's pool the way Spring Boot builds the primary's: the driver's
 * connection factory from the replica's URL, with the primary's user, password and
 * {@code spring.r2dbc.properties.*} where the URL gives none, Boot's decorators applied
 * (statement observation, timeouts), then an r2dbc-pool configured from
 * {@code spring.r2dbc.pool.*}.
 */
final class ReplicaPools {

	private ReplicaPools() {
	}

	static List<ReadReplica> create(DataSettings settings, R2dbcSettings r2dbc,
			List<ConnectionFactoryDecorator> decorators) {
		ConnectionFactoryOptions primary = r2dbc.primaryOptions().get();
		List<ReadReplica> replicas = new ArrayList<>();
		List<ConnectionFactoryOptions> configured = settings.replicas();
		try {
			for (int i = 0; i < configured.size(); i++) {
				String name = "replica-" + (i + 1);
				ConnectionFactoryOptions options = withPrimaryDefaults(configured.get(i), primary, r2dbc.properties());
				ConnectionFactory connectionFactory = driver(i, options);
				for (ConnectionFactoryDecorator decorator : decorators) {
					connectionFactory = decorator.decorate(connectionFactory);
				}
				replicas.add(new ReadReplica(name, description(configured.get(i)),
						pool(name, connectionFactory, r2dbc.pool())));
			}
			return replicas;
		}
		catch (RuntimeException ex) {
			replicas.forEach((replica) -> ((ConnectionPool) replica.connectionFactory()).dispose());
			throw ex;
		}
	}

	private static ConnectionFactoryOptions withPrimaryDefaults(ConnectionFactoryOptions replica,
			ConnectionFactoryOptions primary, Map<String, String> properties) {
		ConnectionFactoryOptions.Builder builder = replica.mutate();
		// A replica that names its own user keeps its own password too, or none.
		if (!replica.hasOption(ConnectionFactoryOptions.USER)
				&& primary.getValue(ConnectionFactoryOptions.USER) instanceof String user) {
			builder.option(ConnectionFactoryOptions.USER, user);
			if (!replica.hasOption(ConnectionFactoryOptions.PASSWORD)
					&& primary.getValue(ConnectionFactoryOptions.PASSWORD) instanceof CharSequence password) {
				builder.option(ConnectionFactoryOptions.PASSWORD, password);
			}
		}
		for (Map.Entry<String, String> property : properties.entrySet()) {
			Option<String> option = Option.valueOf(property.getKey());
			if (!replica.hasOption(option)) {
				builder.option(option, property.getValue());
			}
		}
		return builder.build();
	}

	private static ConnectionFactory driver(int index, ConnectionFactoryOptions options) {
		String property = "protevus.data.replicas[" + index + "]";
		ConnectionFactory connectionFactory;
		try {
			connectionFactory = ConnectionFactories.find(options);
		}
		catch (IllegalArgumentException | IllegalStateException ex) {
			throw new InvalidPropertyException(property, description(options),
					"its driver rejects it: " + ex.getMessage(),
					"Correct '" + property + "'; a URL without a user takes spring.r2dbc.username.");
		}
		if (connectionFactory == null) {
			throw new InvalidPropertyException(property, description(options),
					"no R2DBC driver on the class path accepts it",
					"Add the R2DBC driver for '" + options.getValue(ConnectionFactoryOptions.DRIVER)
							+ "' to the application, or correct the driver in '" + property + "'.");
		}
		return connectionFactory;
	}

	private static ConnectionPool pool(String name, ConnectionFactory connectionFactory, R2dbcSettings.Pool pool) {
		ConnectionPoolConfiguration.Builder builder = ConnectionPoolConfiguration.builder(connectionFactory);
		setIfNotNull(pool.maxIdleTime(), builder::maxIdleTime);
		setIfNotNull(pool.maxLifeTime(), builder::maxLifeTime);
		setIfNotNull(pool.maxAcquireTime(), builder::maxAcquireTime);
		builder.acquireRetry(pool.acquireRetry());
		setIfNotNull(pool.maxCreateConnectionTime(), builder::maxCreateConnectionTime);
		builder.initialSize(pool.initialSize());
		builder.maxSize(pool.maxSize());
		if (StringUtils.hasText(pool.validationQuery())) {
			builder.validationQuery(pool.validationQuery());
		}
		setIfNotNull(pool.validationDepth(), builder::validationDepth);
		builder.minIdle(pool.minIdle());
		setIfNotNull(pool.maxValidationTime(), builder::maxValidationTime);
		builder.name(name);
		return new ConnectionPool(builder.build());
	}

	private static <T> void setIfNotNull(@Nullable T value, Consumer<T> setter) {
		if (value != null) {
			setter.accept(value);
		}
	}

	/**
	 * What a replica is, for health details and messages: its driver, host, port and
	 * database, never its password.
	 */
	private static String description(ConnectionFactoryOptions options) {
		Object port = options.getValue(ConnectionFactoryOptions.PORT);
		Object database = options.getValue(ConnectionFactoryOptions.DATABASE);
		return "r2dbc:" + options.getValue(ConnectionFactoryOptions.DRIVER) + "://"
				+ options.getValue(ConnectionFactoryOptions.HOST) + ((port != null) ? ":" + port : "")
				+ ((database != null) ? "/" + database : "");
	}

}
