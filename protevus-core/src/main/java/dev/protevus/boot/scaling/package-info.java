/**
 * Scaling advice: the signals that say how loaded an instance is, the horizontal
 * recommendation computed the way the Kubernetes HPA does, the vertical one computed the
 * way the VPA recommender does, load shedding through readiness, and the webhook that is
 * told when the recommendation changes.
 */
@NonNullApi
package dev.protevus.boot.scaling;

import org.springframework.lang.NonNullApi;
