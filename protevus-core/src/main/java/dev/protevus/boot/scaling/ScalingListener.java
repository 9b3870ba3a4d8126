package dev.protevus.boot.scaling;

/**
 * Told of every sample's recommendation, changed or not, on the background thread that
 * sampled it: for reactions that need every sample, such as load shedding with
 * hysteresis. Reactions to changes only listen for
 * {@link ScalingRecommendationChangedEvent} instead.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface ScalingListener {

	/**
	 * Called after each sample. Must not take long: the next sample waits.
	 * @param recommendation the sample's recommendation
	 */
	void sampled(ScalingRecommendation recommendation);

}
