package dev.protevus.boot.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Connects a Spring test's application context to {@link TestRedisCluster}, as
 * {@link WithTestRedis} does to a standalone Redis: with a {@code RedisConnectionDetails}
 * bean naming the cluster's nodes, which Boot's Redis auto-configuration prefers to any
 * {@code spring.data.redis} setting, and {@code spring.data.redis.cluster.nodes} as the
 * lowest-precedence property, since Protevus tells from those keys whether an application
 * uses Redis. The cluster is started the first time a test asks for it and shared by all
 * tests in the JVM, so tests should use their own keys (or key prefix). Not to be
 * combined with {@link WithTestRedis} or {@link WithTestRedisSentinel}.
 *
 * @since 0.1.0
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
public @interface WithTestRedisCluster {

}
