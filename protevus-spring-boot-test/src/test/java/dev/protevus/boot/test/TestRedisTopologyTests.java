package dev.protevus.boot.test;

import java.util.List;

import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.data.redis.RedisConnectionDetails;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * An external Redis Cluster named by the environment, and the customizer factory's
 * refusal of two Redis topologies in one context, without starting any server.
 */
class TestRedisTopologyTests {

	@Test
	void externalClusterIsDescribedByItsNodes() {
		TestRedisCluster cluster = new TestRedisCluster(List.of("10.0.0.1:7000", "10.0.0.2:7001"));
		assertThat(cluster.isEmbedded()).isFalse();
		assertThat(cluster.propertyValues())
			.containsExactly("spring.data.redis.cluster.nodes=10.0.0.1:7000,10.0.0.2:7001");
		RedisConnectionDetails details = TestRedisTopologyConnectionDetails.of(cluster);
		assertThat(details.getSentinel()).isNull();
		assertThat(details.getCluster().getNodes())
			.extracting(RedisConnectionDetails.Node::host, RedisConnectionDetails.Node::port)
			.containsExactly(Tuple.tuple("10.0.0.1", 7000), Tuple.tuple("10.0.0.2", 7001));
		assertThatIllegalStateException().isThrownBy(cluster::stop).withMessageContaining("external");
	}

	@Test
	void aTestCannotAskForTheClusterAndSentinelTogether() {
		assertThatIllegalStateException().isThrownBy(
				() -> new TestRedisTopologyContextCustomizerFactory().createContextCustomizer(Both.class, List.of()))
			.withMessageContaining("@WithTestRedisCluster and @WithTestRedisSentinel");
	}

	@Test
	void customizersOfOneTopologyAreEqualSoContextsAreShared() {
		TestRedisTopologyContextCustomizerFactory factory = new TestRedisTopologyContextCustomizerFactory();
		assertThat(factory.createContextCustomizer(ClusterOnly.class, List.of()))
			.isEqualTo(factory.createContextCustomizer(ClusterOnly.class, List.of()))
			.isNotEqualTo(factory.createContextCustomizer(SentinelOnly.class, List.of()));
		assertThat(factory.createContextCustomizer(TestRedisTopologyTests.class, List.of())).isNull();
	}

	@WithTestRedisCluster
	@WithTestRedisSentinel
	static class Both {

	}

	@WithTestRedisCluster
	static class ClusterOnly {

	}

	@WithTestRedisSentinel
	static class SentinelOnly {

	}

}
