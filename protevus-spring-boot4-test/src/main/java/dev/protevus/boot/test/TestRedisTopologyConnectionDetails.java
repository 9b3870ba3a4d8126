package dev.protevus.boot.test;

import java.util.List;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.lang.Nullable;
import org.springframework.util.ObjectUtils;

/**
 * {@link DataRedisConnectionDetails} for {@link TestRedisCluster} and
 * {@link TestRedisSentinel}: the cluster's seed nodes, or the sentinels and the name of
 * the master they watch, which Spring Boot's Redis auto-configuration uses instead of the
 * {@code spring.data.redis} settings, as it does for a Testcontainers
 * {@code @ServiceConnection}.
 */
final class TestRedisTopologyConnectionDetails implements DataRedisConnectionDetails {

	@Nullable
	private final TestRedisCluster cluster;

	@Nullable
	private final TestRedisSentinel sentinel;

	private TestRedisTopologyConnectionDetails(@Nullable TestRedisCluster cluster,
			@Nullable TestRedisSentinel sentinel) {
		this.cluster = cluster;
		this.sentinel = sentinel;
	}

	static TestRedisTopologyConnectionDetails of(TestRedisCluster cluster) {
		return new TestRedisTopologyConnectionDetails(cluster, null);
	}

	static TestRedisTopologyConnectionDetails of(TestRedisSentinel sentinel) {
		return new TestRedisTopologyConnectionDetails(null, sentinel);
	}

	@Override
	@Nullable
	public Cluster getCluster() {
		if (this.cluster == null) {
			return null;
		}
		List<Node> nodes = this.cluster.nodes().stream().map(TestRedisTopologyConnectionDetails::node).toList();
		return () -> nodes;
	}

	@Override
	@Nullable
	public Sentinel getSentinel() {
		if (this.sentinel == null) {
			return null;
		}
		TestRedisSentinel servers = this.sentinel;
		List<Node> nodes = servers.sentinels().stream().map(TestRedisTopologyConnectionDetails::node).toList();
		return new Sentinel() {

			@Override
			public int getDatabase() {
				return 0;
			}

			@Override
			public String getMaster() {
				return servers.masterName();
			}

			@Override
			public List<Node> getNodes() {
				return nodes;
			}

			@Override
			@Nullable
			public String getUsername() {
				return null;
			}

			@Override
			@Nullable
			public String getPassword() {
				return null;
			}

		};
	}

	/**
	 * Whether a bean factory has Redis connection details already, the application's or
	 * those of another test kit server.
	 */
	static boolean isDefinedIn(ListableBeanFactory beanFactory) {
		return !ObjectUtils.isEmpty(beanFactory.getBeanNamesForType(DataRedisConnectionDetails.class, true, false));
	}

	private static Node node(String hostAndPort) {
		int colon = hostAndPort.lastIndexOf(':');
		return new Node(hostAndPort.substring(0, colon), Integer.parseInt(hostAndPort.substring(colon + 1)));
	}

}
