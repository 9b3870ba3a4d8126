/**
 * Auto-configuration of asynchronous processing: turns {@code protevus.async.*} into the
 * worker pools, {@code @Offload}, the event-loop lag monitor, the full-pool problem
 * mapping and their meters, whose runtime lives in {@link dev.protevus.boot.async} and
 * {@link dev.protevus.boot.actuate.async}.
 */
@NonNullApi
package dev.protevus.boot.autoconfigure.async;

import org.springframework.lang.NonNullApi;
