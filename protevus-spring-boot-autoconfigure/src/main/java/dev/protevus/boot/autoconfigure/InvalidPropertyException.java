package dev.protevus.boot.autoconfigure;

import org.springframework.lang.Nullable;

/**
 * A {@code protevus.*} property holds a value that cannot work. Thrown while a feature
 * starts, so that {@link InvalidPropertyFailureAnalyzer} can name the property and the
 * fix instead of leaving the user a stack trace.
 *
 * @since 0.1.0
 */
public class InvalidPropertyException extends RuntimeException {

	private final String property;

	@Nullable
	private final Object value;

	private final String action;

	/**
	 * Creates an exception for one property.
	 * @param property the property's full name, such as
	 * {@code protevus.async.pools.cpu.threads}
	 * @param value the value it holds
	 * @param reason why that value cannot work
	 * @param action what to set instead, naming the property
	 */
	public InvalidPropertyException(String property, @Nullable Object value, String reason, String action) {
		super("Invalid value '" + value + "' for property '" + property + "': " + reason);
		this.property = property;
		this.value = value;
		this.action = action;
	}

	/**
	 * The property's full name.
	 * @return the name
	 */
	public String getProperty() {
		return this.property;
	}

	/**
	 * The value the property holds.
	 * @return the value
	 */
	@Nullable
	public Object getValue() {
		return this.value;
	}

	/**
	 * What to set instead.
	 * @return the action
	 */
	public String getAction() {
		return this.action;
	}

}
