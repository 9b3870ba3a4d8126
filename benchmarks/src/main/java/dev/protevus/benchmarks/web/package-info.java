/**
 * A load benchmark of Protevus's web layer: the same JSON endpoint served with the layer
 * on and by bare WebFlux, loaded over HTTP from another process.
 */
@NonNullApi
package dev.protevus.benchmarks.web;

import org.springframework.lang.NonNullApi;
