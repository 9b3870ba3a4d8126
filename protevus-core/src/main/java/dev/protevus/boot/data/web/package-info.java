/**
 * What the database support adds to a WebFlux application, usable without
 * auto-configuration: the problems that data failures answer requests with, and the
 * per-request statement scope of N+1 detection.
 */
@NonNullApi
package dev.protevus.boot.data.web;

import org.springframework.lang.NonNullApi;
