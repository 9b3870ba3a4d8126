/**
 * Asynchronous processing: named, bounded worker pools that keep CPU-heavy and blocking
 * work off the Netty event loops, {@code @Offload} for Spring bean methods, and the
 * event-loop lag signal.
 */
@NonNullApi
package dev.protevus.boot.async;

import org.springframework.lang.NonNullApi;
