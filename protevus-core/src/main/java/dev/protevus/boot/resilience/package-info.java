/**
 * What Protevus features share to guard remote calls: circuit breakers that never park
 * the thread recording a call's outcome.
 */
@NonNullApi
package dev.protevus.boot.resilience;

import org.springframework.lang.NonNullApi;
