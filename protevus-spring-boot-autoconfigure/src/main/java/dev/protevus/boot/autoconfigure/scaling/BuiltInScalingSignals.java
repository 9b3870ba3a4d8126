package dev.protevus.boot.autoconfigure.scaling;

import java.util.List;

import dev.protevus.boot.scaling.ScalingSignal;

/**
 * The built-in signals, which the application's {@link ScalingSignal} beans of the same
 * name replace.
 */
record BuiltInScalingSignals(List<ScalingSignal> signals) {

}
