/**
 * Tiered caching: a Spring {@code CacheManager} whose caches read through memory, Redis
 * and file tiers, reactively and fail-open.
 */
@NonNullApi
package dev.protevus.boot.cache;

import org.springframework.lang.NonNullApi;
