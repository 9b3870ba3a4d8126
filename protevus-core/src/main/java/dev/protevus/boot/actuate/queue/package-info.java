/**
 * What the actuator shows of job queues: the {@code queues} endpoint and the
 * {@code protevus.queue.*} meters.
 */
@NonNullApi
package dev.protevus.boot.actuate.queue;

import org.springframework.lang.NonNullApi;
