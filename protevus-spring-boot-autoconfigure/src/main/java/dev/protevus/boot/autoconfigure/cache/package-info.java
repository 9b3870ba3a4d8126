/**
 * Auto-configuration of tiered caching: the {@code CacheManager}, its meters and the
 * {@code cachetiers} actuator endpoint.
 */
package dev.protevus.boot.autoconfigure.cache;
