/**
 * Test support for Protevus applications. Real PostgreSQL and Redis, without Docker:
 * annotate a Spring test with {@link dev.protevus.boot.test.WithTestPostgres} or
 * {@link dev.protevus.boot.test.WithTestRedis}, or use
 * {@link dev.protevus.boot.test.TestPostgres#get()} and
 * {@link dev.protevus.boot.test.TestRedis#get()} directly; a Redis Cluster and Redis
 * behind Sentinel come with {@link dev.protevus.boot.test.WithTestRedisCluster} and
 * {@link dev.protevus.boot.test.WithTestRedisSentinel}. With BlockHound on the class
 * path, {@link dev.protevus.boot.test.ProtevusBlockHoundIntegration} allows the few
 * blocking calls that the libraries of a Protevus application make by design.
 */
@NonNullApi
package dev.protevus.boot.test;

import org.springframework.lang.NonNullApi;
