package dev.protevus.boot.cache;

import dev.protevus.boot.test.WithTestRedisCluster;

/**
 * {@link TieredCache} with the redis tier, against the three-master Redis Cluster of
 * protevus-spring-boot-test: entries spread over slots, a clear scans every master,
 * invalidation crosses nodes, the load lock and its script touch one slot, and the tier
 * fails open while the whole cluster is down.
 */
@WithTestRedisCluster
class RedisClusterTieredCacheTests extends RedisTieredCacheTests {

}
