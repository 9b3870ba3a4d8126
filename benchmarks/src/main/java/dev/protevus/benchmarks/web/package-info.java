/**
 * A load benchmark of the starter's cost on the web: the same JSON endpoint served by a
 * bare Boot application and by the starter's, each on its own class path, loaded over
 * HTTP from another process.
 */
@NonNullApi
package dev.protevus.benchmarks.web;

import org.springframework.lang.NonNullApi;
