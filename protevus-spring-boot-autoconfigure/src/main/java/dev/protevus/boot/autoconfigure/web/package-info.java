/**
 * Auto-configuration of Protevus's web layer for WebFlux: problem details for every
 * failed request, rate limits, load shedding, the request time bound and HTTP caching
 * headers.
 */
@NonNullApi
package dev.protevus.boot.autoconfigure.web;

import org.springframework.lang.NonNullApi;
