/**
 * Asynchronous processing: named, bounded worker pools that keep CPU-heavy and blocking work off
 * the Netty event loops, and {@code @Offload} for Spring bean methods.
 */
@NonNullApi
package dev.protevus.boot.async;

import org.springframework.lang.NonNullApi;
