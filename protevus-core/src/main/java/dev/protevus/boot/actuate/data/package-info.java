/**
 * Actuator support of Protevus's database layer: the connection pool's health indicator
 * and the statement timer.
 */
@NonNullApi
package dev.protevus.boot.actuate.data;

import org.springframework.lang.NonNullApi;
