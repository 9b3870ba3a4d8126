/**
 * Auto-configuration of scaling advice: the signals, the horizontal and vertical
 * recommenders, load shedding, the webhook, the {@code scaling} endpoint and the scaling
 * gauges.
 */
@NonNullApi
package dev.protevus.boot.autoconfigure.scaling;

import org.springframework.lang.NonNullApi;
