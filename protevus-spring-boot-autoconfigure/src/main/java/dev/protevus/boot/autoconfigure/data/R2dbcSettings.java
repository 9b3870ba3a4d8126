package dev.protevus.boot.autoconfigure.data;

import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

import io.r2dbc.spi.ConnectionFactoryOptions;
import io.r2dbc.spi.ValidationDepth;

import org.springframework.lang.Nullable;

/**
 * What the database features take from Spring Boot's {@code spring.r2dbc.*}
 * configuration. Each Boot line makes it from its own {@code R2dbcProperties} and
 * {@code R2dbcConnectionDetails}, whose packages differ, so that the configurations that
 * use it are the same on both.
 *
 * @param primaryOptions the options of the primary database that read replicas inherit
 * their user, password and driver properties from, asked for only when replicas are
 * created
 * @param properties Boot's {@code spring.r2dbc.properties.*}
 * @param pool Boot's {@code spring.r2dbc.pool.*}
 */
record R2dbcSettings(Supplier<ConnectionFactoryOptions> primaryOptions, Map<String, String> properties, Pool pool) {

	/**
	 * How long a connection request may wait: the pool's maximum acquire time, or 5
	 * seconds when it has none (Boot's default is to wait forever).
	 * @return the acquire time
	 */
	Duration acquireTime() {
		return acquireTime(this.pool.maxAcquireTime());
	}

	static Duration acquireTime(@Nullable Duration maxAcquireTime) {
		return (maxAcquireTime != null) ? maxAcquireTime : Duration.ofSeconds(5);
	}

	/**
	 * The primary's options: those of Boot's connection details where there are some,
	 * otherwise only the user and password of {@code spring.r2dbc.*}.
	 * @param connectionDetails the options of Boot's connection details, or {@code null}
	 * @param username {@code spring.r2dbc.username}
	 * @param password {@code spring.r2dbc.password}
	 * @return the options
	 */
	static ConnectionFactoryOptions primaryOptions(@Nullable ConnectionFactoryOptions connectionDetails,
			@Nullable String username, @Nullable String password) {
		if (connectionDetails != null) {
			return connectionDetails;
		}
		ConnectionFactoryOptions.Builder builder = ConnectionFactoryOptions.builder();
		if (username != null) {
			builder.option(ConnectionFactoryOptions.USER, username);
		}
		if (password != null) {
			builder.option(ConnectionFactoryOptions.PASSWORD, password);
		}
		return builder.build();
	}

	/**
	 * Boot's {@code spring.r2dbc.pool.*} settings.
	 *
	 * @param maxIdleTime the maximum idle time, or {@code null}
	 * @param maxLifeTime the maximum life time, or {@code null}
	 * @param maxAcquireTime the maximum acquire time, or {@code null}
	 * @param acquireRetry how often a failed acquire is retried
	 * @param maxCreateConnectionTime the maximum time to create a connection, or
	 * {@code null}
	 * @param initialSize the initial size
	 * @param maxSize the maximum size
	 * @param validationQuery the validation query, or {@code null}
	 * @param validationDepth the validation depth
	 * @param minIdle the minimum number of idle connections
	 * @param maxValidationTime the maximum validation time, or {@code null}
	 */
	record Pool(@Nullable Duration maxIdleTime, @Nullable Duration maxLifeTime, @Nullable Duration maxAcquireTime,
			int acquireRetry, @Nullable Duration maxCreateConnectionTime, int initialSize, int maxSize,
			@Nullable String validationQuery, ValidationDepth validationDepth, int minIdle,
			@Nullable Duration maxValidationTime) {

	}

}
