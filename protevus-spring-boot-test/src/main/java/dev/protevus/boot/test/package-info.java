/**
 * Real PostgreSQL and Redis for tests, without Docker: annotate a Spring test with
 * {@link dev.protevus.boot.test.WithTestPostgres} or {@link dev.protevus.boot.test.WithTestRedis},
 * or use {@link dev.protevus.boot.test.TestPostgres#get()} and
 * {@link dev.protevus.boot.test.TestRedis#get()} directly.
 */
package dev.protevus.boot.test;
