package dev.protevus.boot.autoconfigure.cache;

import dev.protevus.boot.test.WithTestRedisCluster;

/**
 * Several application contexts, as several instances of one service, sharing the
 * three-master Redis Cluster through nothing but Boot's
 * {@code spring.data.redis.cluster.nodes}: invalidation reaches every instance whichever
 * node each subscribed on, and the load lock holds across them.
 */
@WithTestRedisCluster
class TieredCacheClusterContextsTests extends TieredCacheContextsTests {

	/**
	 * Not run again here: the file tier involves no Redis.
	 */
	@Override
	void fileTierSurvivesAContextRestart() {
	}

}
