/**
 * Actuator support of tiered caching: the {@code cachetiers} endpoint and the caches'
 * meters, Protevus's per-tier ones and Spring Boot's standard {@code cache.*} ones.
 */
@NonNullApi
package dev.protevus.boot.actuate.cache;

import org.springframework.lang.NonNullApi;
