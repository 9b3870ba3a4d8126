/**
 * What Protevus needs to know about the application's Redis connection, which Spring Boot
 * owns.
 */
@NonNullApi
package dev.protevus.boot.autoconfigure.redis;

import org.springframework.lang.NonNullApi;
