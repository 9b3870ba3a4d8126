/**
 * Auto-configuration of asynchronous processing: the worker pools, {@code @Offload} and the
 * pools' meters.
 */
package dev.protevus.boot.autoconfigure.async;
