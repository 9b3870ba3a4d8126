/**
 * Memory: what the memory tier costs per entry against Spring's Caffeine cache, and the
 * sample application's heap and resident set under load.
 */
@NonNullApi
package dev.protevus.benchmarks.memory;

import org.springframework.lang.NonNullApi;
