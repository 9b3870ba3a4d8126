/**
 * What the actuator shows of load balancing: the {@code loadbalancer} endpoint and the
 * {@code protevus.loadbalancer.*} meters.
 */
@NonNullApi
package dev.protevus.boot.actuate.loadbalancer;

import org.springframework.lang.NonNullApi;
