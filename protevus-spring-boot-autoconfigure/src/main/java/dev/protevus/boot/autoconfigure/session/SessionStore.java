package dev.protevus.boot.autoconfigure.session;

import java.util.Locale;

import dev.protevus.boot.autoconfigure.InvalidPropertyException;
import dev.protevus.boot.autoconfigure.redis.RedisUsage;

import org.springframework.core.env.Environment;

/**
 * The stores that {@code protevus.session.store} chooses from.
 *
 * @since 0.1.0
 */
public enum SessionStore {

	/**
	 * Spring Session's reactive Redis repository, shared by every instance.
	 */
	REDIS,

	/**
	 * A bounded map in this instance's memory.
	 */
	MEMORY;

	static final String PROPERTY = SessionStoreProperties.PREFIX + ".store";

	/**
	 * The store an environment asks for: {@code protevus.session.store}, or by whether
	 * the application uses Redis.
	 * @param environment the environment
	 * @return the store
	 * @throws InvalidPropertyException for a value that names no store
	 */
	static SessionStore of(Environment environment) {
		String value = environment.getProperty(PROPERTY);
		if (value == null || value.isBlank()) {
			return RedisUsage.of(environment).inUse() ? REDIS : MEMORY;
		}
		for (SessionStore store : values()) {
			if (store.name().equals(value.trim().toUpperCase(Locale.ROOT))) {
				return store;
			}
		}
		throw new InvalidPropertyException(PROPERTY, value, "there is no session store of that name",
				"Set '" + PROPERTY + "' to 'redis' or 'memory', or remove it to choose by whether Redis is in use.");
	}

}
