package dev.protevus.boot.cache;

import dev.protevus.boot.test.WithTestRedisCluster;

/**
 * The tier contract on the redis tier, against the three-master Redis Cluster of
 * protevus-spring-boot-test: keys spread over slots, and a clear or size scans every
 * master.
 */
@WithTestRedisCluster
class RedisClusterTierStoreTests extends RedisTierStoreTests {

}
