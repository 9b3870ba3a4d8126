package dev.protevus.boot.autoconfigure.queue;

import java.util.Locale;

import dev.protevus.boot.autoconfigure.InvalidPropertyException;
import dev.protevus.boot.autoconfigure.redis.RedisUsage;

import org.springframework.core.env.Environment;
import org.springframework.lang.Nullable;

/**
 * The brokers that {@code protevus.queue.driver} chooses from.
 *
 * @since 0.1.0
 */
public enum QueueDriver {

	/**
	 * Redis Streams, shared by every instance.
	 */
	REDIS,

	/**
	 * This JVM's memory.
	 */
	MEMORY;

	static final String PROPERTY = QueueProperties.PREFIX + ".driver";

	/**
	 * The driver's name in properties.
	 * @return the name
	 */
	public String value() {
		return name().toLowerCase(Locale.ROOT);
	}

	/**
	 * The driver an environment asks for: {@code protevus.queue.driver}, or by whether
	 * the application uses Redis.
	 * @param environment the environment
	 * @return the driver
	 * @throws InvalidPropertyException for a value that names no driver
	 */
	static QueueDriver of(Environment environment) {
		String value = environment.getProperty(PROPERTY);
		if (value == null || value.isBlank()) {
			return RedisUsage.of(environment).inUse() ? REDIS : MEMORY;
		}
		QueueDriver driver = named(value);
		if (driver == null) {
			throw new InvalidPropertyException(PROPERTY, value, "there is no queue driver of that name", "Set '"
					+ PROPERTY + "' to 'redis' or 'memory', or remove it to choose by whether Redis is in use.");
		}
		return driver;
	}

	@Nullable
	private static QueueDriver named(String value) {
		String name = value.trim().toUpperCase(Locale.ROOT);
		for (QueueDriver driver : values()) {
			if (driver.name().equals(name)) {
				return driver;
			}
		}
		return null;
	}

	/**
	 * Whether a value names no driver, which the memory configuration reports.
	 */
	static boolean isUnknown(@Nullable String value) {
		return value != null && !value.isBlank() && named(value) == null;
	}

}
