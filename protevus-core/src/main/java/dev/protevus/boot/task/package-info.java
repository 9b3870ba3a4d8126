/**
 * What Protevus features share to run work in the background: one bounded, named
 * scheduler.
 */
@NonNullApi
package dev.protevus.boot.task;

import org.springframework.lang.NonNullApi;
