/**
 * What the actuator shows of scaling advice: the {@code scaling} endpoint and the scaling
 * gauges.
 */
@NonNullApi
package dev.protevus.boot.actuate.scaling;

import org.springframework.lang.NonNullApi;
