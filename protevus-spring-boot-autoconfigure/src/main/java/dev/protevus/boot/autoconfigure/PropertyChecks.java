package dev.protevus.boot.autoconfigure;

import java.time.Duration;

import org.springframework.lang.Nullable;

/**
 * The range checks that every feature makes of its numbers and durations at start-up, so
 * that a value out of range fails the same way everywhere: an
 * {@link InvalidPropertyException} naming the property and a value that works.
 *
 * @since 0.1.0
 */
public final class PropertyChecks {

	private PropertyChecks() {
	}

	/**
	 * Requires a duration above zero.
	 * @param property the property's full name
	 * @param value its value, invalid when {@code null}
	 * @param example a value that works, such as {@code 10s}
	 * @return the value
	 */
	public static Duration positive(String property, @Nullable Duration value, String example) {
		if (value == null || value.isZero() || value.isNegative()) {
			throw new InvalidPropertyException(property, value, "it must be a positive duration",
					"Set '" + property + "' to a positive duration, such as " + example + ".");
		}
		return value;
	}

	/**
	 * Requires a number above zero.
	 * @param property the property's full name
	 * @param value its value
	 * @param example a value that works, such as {@code 1000}
	 * @return the value
	 */
	public static long positive(String property, long value, String example) {
		if (value <= 0) {
			throw new InvalidPropertyException(property, value, "it must be a positive number",
					"Set '" + property + "' to a positive number, such as " + example + ".");
		}
		return value;
	}

	/**
	 * Requires a duration of zero or more.
	 * @param property the property's full name
	 * @param value its value, invalid when {@code null}
	 * @param example a positive value that works, such as {@code 30s}
	 * @param zero what zero means, such as {@code switches it off}
	 * @return the value
	 */
	public static Duration notNegative(String property, @Nullable Duration value, String example, String zero) {
		if (value == null || value.isNegative()) {
			throw new InvalidPropertyException(property, value, "it must not be negative", "Set '" + property
					+ "' to a positive duration, such as " + example + ", or to 0, which " + zero + ".");
		}
		return value;
	}

	/**
	 * Requires a number of zero or more.
	 * @param property the property's full name
	 * @param value its value
	 * @param example a positive value that works, such as {@code 1000}
	 * @param zero what zero means, such as {@code means no limit}
	 * @return the value
	 */
	public static long notNegative(String property, long value, String example, String zero) {
		if (value < 0) {
			throw new InvalidPropertyException(property, value, "it must not be negative", "Set '" + property
					+ "' to a positive number, such as " + example + ", or to 0, which " + zero + ".");
		}
		return value;
	}

}
