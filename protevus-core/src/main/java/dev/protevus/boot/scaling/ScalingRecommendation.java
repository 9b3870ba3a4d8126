package dev.protevus.boot.scaling;

import java.time.Instant;

import org.springframework.lang.Nullable;

/**
 * What one sample of the signals recommends: the horizontal replica count and, when the
 * vertical recommender runs, the container's requests and limits.
 *
 * @param timestamp when the signals were read
 * @param horizontal the replica count recommendation
 * @param vertical the requests and limits recommendation, {@code null} when it is off
 * @since 0.1.0
 */
public record ScalingRecommendation(Instant timestamp, HorizontalRecommendation horizontal,
		@Nullable VerticalRecommendation vertical) {

}
