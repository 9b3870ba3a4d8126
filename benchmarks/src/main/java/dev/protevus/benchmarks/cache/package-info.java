/**
 * JMH benchmarks of the tiered cache against the Spring caches it stands in for, each on
 * the same keys and values.
 */
@NonNullApi
package dev.protevus.benchmarks.cache;

import org.springframework.lang.NonNullApi;
