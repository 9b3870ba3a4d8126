/**
 * Auto-configuration of asynchronous processing: the worker pools and their meters.
 */
package dev.protevus.boot.autoconfigure.async;
