package dev.protevus.boot.scaling;

import org.springframework.context.ApplicationEvent;
import org.springframework.lang.Nullable;

/**
 * Published when the desired replica count or the verdict changes, and after the first
 * sample. Published on the background thread that sampled, never on a request's.
 *
 * @since 0.1.0
 */
public class ScalingRecommendationChangedEvent extends ApplicationEvent {

	private final ScalingRecommendation recommendation;

	@Nullable
	private final ScalingRecommendation previous;

	/**
	 * Creates an event.
	 * @param source the advisor that sampled
	 * @param recommendation the new recommendation
	 * @param previous the one before, {@code null} after the first sample
	 */
	public ScalingRecommendationChangedEvent(Object source, ScalingRecommendation recommendation,
			@Nullable ScalingRecommendation previous) {
		super(source);
		this.recommendation = recommendation;
		this.previous = previous;
	}

	/**
	 * The new recommendation.
	 * @return the recommendation
	 */
	public ScalingRecommendation getRecommendation() {
		return this.recommendation;
	}

	/**
	 * The recommendation before.
	 * @return the previous recommendation, {@code null} after the first sample
	 */
	@Nullable
	public ScalingRecommendation getPrevious() {
		return this.previous;
	}

}
