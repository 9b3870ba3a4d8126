package dev.protevus.boot.scaling;

/**
 * What the horizontal recommendation says to do with the replica count.
 *
 * @since 0.1.0
 */
public enum ScalingVerdict {

	/**
	 * Add replicas: the desired count is above the current one.
	 */
	SCALE_OUT,

	/**
	 * Remove replicas: the desired count is below the current one.
	 */
	SCALE_IN,

	/**
	 * Keep the current count.
	 */
	HOLD

}
