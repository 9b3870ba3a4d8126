package dev.protevus.boot.autoconfigure.cache;

/**
 * A {@code protevus.cache.*} property holds a value that cannot work.
 */
class InvalidCachePropertyException extends RuntimeException {

	private final String property;

	private final Object value;

	private final String action;

	InvalidCachePropertyException(String property, Object value, String reason, String action) {
		super("Invalid value '" + value + "' for property '" + property + "': " + reason);
		this.property = property;
		this.value = value;
		this.action = action;
	}

	String getProperty() {
		return this.property;
	}

	Object getValue() {
		return this.value;
	}

	String getAction() {
		return this.action;
	}

}
