/**
 * Auto-configuration of asynchronous processing: the worker pools, {@code @Offload}, the
 * event-loop lag monitor and their meters.
 */
package dev.protevus.boot.autoconfigure.async;
