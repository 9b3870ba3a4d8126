/**
 * Observation of every statement the application's connection factory executes, usable
 * without auto-configuration: the observing connection factory and its observers, the
 * slow-statement log and N+1 detection.
 */
@NonNullApi
package dev.protevus.boot.data.statement;

import org.springframework.lang.NonNullApi;
