package dev.protevus.boot.scaling;

import java.util.function.DoubleSupplier;

import org.springframework.util.Assert;

/**
 * One measure of how loaded this instance is, such as CPU usage or connection pool
 * utilisation, read by the {@link ScalingAdvisor} on each sample. A feature that knows a
 * load signal provides it as a bean of this type, and so can an application: every bean
 * of this type is picked up, and one named like a built-in signal replaces it.
 * <p>
 * A signal votes on the replica count only when a target is set for its name
 * ({@code protevus.scaling.targets.<name>}); without one it is only reported.
 *
 * @since 0.1.0
 */
public interface ScalingSignal {

	/**
	 * Unit of a share between 0 and 1, such as CPU usage.
	 */
	String RATIO = "ratio";

	/**
	 * Unit of a time, such as a latency; its target is set as a duration ({@code 50ms}).
	 */
	String SECONDS = "seconds";

	/**
	 * Unit of a number of things, such as requests in flight.
	 */
	String COUNT = "count";

	/**
	 * Unit of a rate, such as requests per second.
	 */
	String PER_SECOND = "per-second";

	/**
	 * The name the signal is reported under and its target is set for, in kebab case,
	 * such as {@code pool-utilization}.
	 * @return the name
	 */
	String name();

	/**
	 * The value now. Called on a background thread, never on a request's; it must not
	 * take long.
	 * @return the value, or {@link Double#NaN} while there is nothing to measure, which
	 * neither votes nor sheds
	 */
	double value();

	/**
	 * The unit of the value, such as {@link #RATIO} or {@link #SECONDS}.
	 * @return the unit
	 */
	String unit();

	/**
	 * A signal that reads its value from a function.
	 * @param name the signal's name
	 * @param unit its unit
	 * @param value reads the value, {@link Double#NaN} when there is none
	 * @return the signal
	 */
	static ScalingSignal of(String name, String unit, DoubleSupplier value) {
		Assert.hasText(name, "name must not be empty");
		Assert.hasText(unit, () -> "unit of signal '" + name + "' must not be empty");
		Assert.notNull(value, "value must not be null");
		return new ScalingSignal() {

			@Override
			public String name() {
				return name;
			}

			@Override
			public double value() {
				return value.getAsDouble();
			}

			@Override
			public String unit() {
				return unit;
			}

			@Override
			public String toString() {
				return "ScalingSignal[" + name + ", " + unit + "]";
			}

		};
	}

}
