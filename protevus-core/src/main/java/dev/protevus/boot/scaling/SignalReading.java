package dev.protevus.boot.scaling;

import org.springframework.lang.Nullable;

/**
 * One signal as the recommendation saw it.
 *
 * @param name the signal's name
 * @param unit its unit
 * @param value its value, {@code null} while it had none
 * @param target its target, {@code null} if it does not vote
 * @param ratio value divided by target, {@code null} unless both are known
 * @param desired the replica count this signal alone asks for, {@code null} unless it
 * voted
 * @since 0.1.0
 */
public record SignalReading(String name, String unit, @Nullable Double value, @Nullable Double target,
		@Nullable Double ratio, @Nullable Integer desired) {

}
