/**
 * What Protevus features share to run work in the background, one bounded, named
 * scheduler, and to bound an operation by a deadline cheaply.
 */
@NonNullApi
package dev.protevus.boot.task;

import org.springframework.lang.NonNullApi;
