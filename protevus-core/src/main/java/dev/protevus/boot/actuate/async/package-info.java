/**
 * Meters of asynchronous processing: the worker pools' executor meters and rejections,
 * and the event-loop lag gauge.
 */
@NonNullApi
package dev.protevus.boot.actuate.async;

import org.springframework.lang.NonNullApi;
