/**
 * Auto-configuration of tiered caching: the {@code CacheManager}, its meters and the
 * {@code cachetiers} actuator endpoint.
 */
@NonNullApi
package dev.protevus.boot.autoconfigure.cache;

import org.springframework.lang.NonNullApi;
