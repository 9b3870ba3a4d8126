package dev.protevus.boot.queue;

import dev.protevus.boot.test.WithTestRedisCluster;

/**
 * The queue semantics on Redis Streams, against the three-master Redis Cluster: a queue's
 * stream, delayed set and dead-letter stream share one slot, so every script that moves
 * jobs between them runs on one master.
 */
@WithTestRedisCluster
class RedisClusterJobQueueTests extends RedisJobQueueTests {

}
