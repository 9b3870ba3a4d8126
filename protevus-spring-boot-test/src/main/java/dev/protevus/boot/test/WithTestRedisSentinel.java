package dev.protevus.boot.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Connects a Spring test's application context to {@link TestRedisSentinel}, a master and
 * a replica watched by one sentinel: with a {@code RedisConnectionDetails} bean naming
 * the sentinel and the master's name, which Boot's Redis auto-configuration prefers to
 * any {@code spring.data.redis} setting, and {@code spring.data.redis.sentinel.*} as the
 * lowest-precedence properties. The servers are started the first time a test asks for
 * them and shared by all tests in the JVM. Not to be combined with {@link WithTestRedis}
 * or {@link WithTestRedisCluster}.
 *
 * @since 0.1.0
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
public @interface WithTestRedisSentinel {

}
