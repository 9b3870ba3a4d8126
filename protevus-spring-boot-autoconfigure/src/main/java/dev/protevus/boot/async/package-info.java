/**
 * Asynchronous processing: named, bounded worker pools that keep CPU-heavy and blocking work off
 * the Netty event loops.
 */
@NonNullApi
package dev.protevus.boot.async;

import org.springframework.lang.NonNullApi;
