/**
 * Asynchronous processing, usable without auto-configuration: named, bounded worker pools
 * ({@link dev.protevus.boot.async.WorkerPools}, run by
 * {@link dev.protevus.boot.async.ExecutorWorkerPools}) that keep CPU-heavy and blocking
 * work off the Netty event loops, {@code @Offload} for Spring bean methods, the
 * event-loop lag signal and its monitor, and the problem a request gets when a pool is
 * full.
 */
@NonNullApi
package dev.protevus.boot.async;

import org.springframework.lang.NonNullApi;
