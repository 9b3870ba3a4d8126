/**
 * What Protevus needs to know about the application's Redis connection, which Spring Boot
 * owns.
 */
package dev.protevus.boot.autoconfigure.redis;
