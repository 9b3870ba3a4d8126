package dev.protevus.boot.test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.data.redis.RedisAutoConfiguration;
import org.springframework.boot.autoconfigure.data.redis.RedisConnectionDetails;
import org.springframework.boot.autoconfigure.data.redis.RedisReactiveAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.ReactiveRedisClusterConnection;
import org.springframework.data.redis.connection.RedisClusterNode;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link WithTestRedisCluster} connects a context to a cluster of three masters (and a
 * replica) whose slots are all served, and keys spread over its masters.
 */
@SpringBootTest
@WithTestRedisCluster
class WithTestRedisClusterTests {

	@Autowired
	private ReactiveStringRedisTemplate redis;

	@Autowired
	private LettuceConnectionFactory connectionFactory;

	@Test
	void connectsToAClusterOfThreeMastersThatServeEverySlot(@Autowired RedisConnectionDetails details,
			@Autowired Environment environment) {
		assertThat(details.getCluster().getNodes()).hasSize(4);
		assertThat(environment.getProperty("spring.data.redis.cluster.nodes"))
			.isEqualTo(String.join(",", TestRedisCluster.get().nodes()));
		assertThat(this.connectionFactory.isClusterAware()).isTrue();
		ReactiveRedisClusterConnection connection = this.connectionFactory.getReactiveClusterConnection();
		try {
			List<RedisClusterNode> masters = connection.clusterGetNodes()
				.filter(RedisClusterNode::isMaster)
				.collectList()
				.block();
			assertThat(masters).hasSize(3);
			assertThat(masters).allSatisfy((master) -> assertThat(master.getSlotRange().getSlots()).isNotEmpty());
			assertThat(masters.stream().mapToInt((master) -> master.getSlotRange().getSlots().size()).sum())
				.isEqualTo(16384);
		}
		finally {
			connection.close();
		}
	}

	@Test
	void keysSpreadOverEveryMaster() {
		List<String> keys = IntStream.range(0, 30).mapToObj((i) -> "protevus:test:cluster:" + i).toList();
		StepVerifier
			.create(Flux.fromIterable(keys)
				.concatMap((key) -> this.redis.opsForValue().set(key, key))
				.all(Boolean::booleanValue))
			.expectNext(true)
			.verifyComplete();
		ReactiveRedisClusterConnection connection = this.connectionFactory.getReactiveClusterConnection();
		try {
			List<Long> sizes = connection.clusterGetNodes()
				.filter(RedisClusterNode::isMaster)
				.concatMap((node) -> connection.keyCommands()
					.keys(node, ByteBuffer.wrap("protevus:test:cluster:*".getBytes(StandardCharsets.UTF_8)))
					.map((found) -> (long) found.size()))
				.collectList()
				.block();
			assertThat(sizes).hasSize(3).allSatisfy((size) -> assertThat(size).isPositive());
			assertThat(sizes.stream().mapToLong(Long::longValue).sum()).isEqualTo(30);
		}
		finally {
			connection.close();
		}
		StepVerifier.create(this.redis.delete(Flux.fromIterable(keys))).expectNext(30L).verifyComplete();
	}

	@SpringBootConfiguration
	@ImportAutoConfiguration({ RedisAutoConfiguration.class, RedisReactiveAutoConfiguration.class })
	static class Config {

	}

}
