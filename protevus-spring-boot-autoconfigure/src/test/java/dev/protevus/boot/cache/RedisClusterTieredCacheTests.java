package dev.protevus.boot.cache;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.protevus.boot.resilience.LockFreeCircuitBreakers;
import dev.protevus.boot.test.WithTestRedisCluster;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.ReactiveRedisClusterConnection;
import org.springframework.data.redis.connection.RedisClusterNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link TieredCache} with the redis tier, against the three-master Redis Cluster of
 * protevus-spring-boot-test: entries spread over slots, a clear scans every master,
 * invalidation crosses nodes, the load lock and its script touch one slot, and the tier
 * fails open while the whole cluster is down.
 */
@WithTestRedisCluster
class RedisClusterTieredCacheTests extends RedisTieredCacheTests {

	@Test
	void entriesSpreadOverEveryMasterAndAClearRemovesThemFromEach() {
		RedisTierSupport support = new RedisTierSupport(connectionFactory, "spread:", Duration.ofSeconds(2),
				Duration.ofSeconds(2),
				CircuitBreaker.of("spread", LockFreeCircuitBreakers.lockFree(CircuitBreakerConfig.ofDefaults())));
		TieredCacheManager manager = TieredCacheManager
			.builder(TieredCacheSettings.of(Duration.ofMinutes(5), CacheTier.REDIS))
			.serializer(new JsonCacheValueSerializer(new ObjectMapper(), List.of("dev.protevus.boot.cache")))
			.redis(support)
			.build();
		manager.afterPropertiesSet();
		try {
			// The 300 writes below are sent at once and each is bounded by 2 s: they wait
			// for the tier's first cluster connection, which on a loaded machine can take
			// longer.
			support.commands().block(Duration.ofSeconds(30));
			TieredCache books = manager.getCache("books");
			for (int i = 0; i < 300; i++) {
				books.put(Integer.toString(i), i);
			}
			manager.getCache("authors").put("1", "kept");
			await().untilAsserted(() -> assertThat(keysPerMaster("spread:books::*")).hasSize(3)
				.allSatisfy((count) -> assertThat(count).isPositive())
				.satisfies((counts) -> assertThat(counts.stream().mapToLong(Long::longValue).sum()).isEqualTo(300)));
			books.clearAll().block(Duration.ofSeconds(10));
			assertThat(keysPerMaster("spread:books::*")).hasSize(3).allSatisfy((count) -> assertThat(count).isZero());
			assertThat(keysPerMaster("spread:authors::*").stream().mapToLong(Long::longValue).sum()).isOne();
		}
		finally {
			manager.destroy();
		}
	}

	/**
	 * How many keys match on each master, asked of each node directly.
	 */
	private static List<Long> keysPerMaster(String pattern) {
		ReactiveRedisClusterConnection connection = connectionFactory.getReactiveClusterConnection();
		try {
			return connection.clusterGetNodes()
				.filter(RedisClusterNode::isMaster)
				.concatMap((node) -> connection.keyCommands()
					.keys(node, ByteBuffer.wrap(pattern.getBytes(StandardCharsets.UTF_8)))
					.map((keys) -> (long) keys.size()))
				.collectList()
				.block(Duration.ofSeconds(10));
		}
		finally {
			connection.close();
		}
	}

}
