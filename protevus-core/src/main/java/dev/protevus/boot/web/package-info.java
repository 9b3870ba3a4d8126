/**
 * Protevus's web layer for WebFlux applications, usable without auto-configuration:
 * problem details for every failed request and the
 * {@link dev.protevus.boot.web.ProblemMapper} SPI that features contribute to, rate
 * limits, load shedding, the request time bound, HTTP caching headers, and the order of
 * these filters.
 */
@NonNullApi
package dev.protevus.boot.web;

import org.springframework.lang.NonNullApi;
