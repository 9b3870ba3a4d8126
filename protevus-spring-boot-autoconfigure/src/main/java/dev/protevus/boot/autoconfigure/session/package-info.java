/**
 * Auto-configuration of stateless sessions: Spring Session's reactive {@code WebSession}
 * store in Redis under the application's key prefix when the application uses Redis, so
 * that any instance can serve any request, and a bounded in-memory store otherwise.
 */
@NonNullApi
package dev.protevus.boot.autoconfigure.session;

import org.springframework.lang.NonNullApi;
