package dev.protevus.boot;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

import dev.protevus.boot.test.TestRedis;
import dev.protevus.boot.test.TestRedisCluster;
import dev.protevus.boot.test.TestServer;
import dev.protevus.boot.test.WithTestRedisCluster;
import org.junit.jupiter.api.TestInfo;

import org.springframework.data.redis.connection.ReactiveRedisConnection;
import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.awaitility.Awaitility.await;

/**
 * The Redis set-ups that every Redis test suite runs on: the standalone {@link TestRedis}
 * and the three-master {@link TestRedisCluster}. A suite runs on the standalone server,
 * and a subclass annotated with {@link WithTestRedisCluster} runs it again on the
 * cluster.
 */
public enum RedisTopology {

	/**
	 * One Redis server.
	 */
	STANDALONE,

	/**
	 * A Redis Cluster of three masters.
	 */
	CLUSTER;

	/**
	 * The topology a test class runs on.
	 * @param testClass the test class
	 * @return {@link #CLUSTER} for a class annotated with {@link WithTestRedisCluster}
	 */
	public static RedisTopology of(Class<?> testClass) {
		return testClass.isAnnotationPresent(WithTestRedisCluster.class) ? CLUSTER : STANDALONE;
	}

	/**
	 * The topology the running test's class runs on, for a static {@code @BeforeAll}.
	 * @param test the running test
	 * @return {@link #CLUSTER} for a class annotated with {@link WithTestRedisCluster}
	 */
	public static RedisTopology of(TestInfo test) {
		return of(test.getTestClass().orElseThrow());
	}

	/**
	 * The test server behind this topology, started on first use.
	 * @return the server
	 */
	public TestServer server() {
		return (this == STANDALONE) ? TestRedis.get() : TestRedisCluster.get();
	}

	/**
	 * Boot's connection properties for this topology.
	 * @return {@code name=value} pairs
	 */
	public String[] propertyValues() {
		return server().propertyValues();
	}

	/**
	 * A started Lettuce connection factory for this topology, which the caller destroys.
	 * @return the factory
	 */
	public LettuceConnectionFactory connectionFactory() {
		return connectionFactory(LettuceClientConfiguration.defaultConfiguration());
	}

	/**
	 * A started Lettuce connection factory for this topology, which the caller destroys.
	 * Returns once the factory has connected: a cluster that an earlier test failed over
	 * or restarted can refuse a first connection while its nodes settle, so the first
	 * ping is repeated for up to 30 seconds rather than failing the suite.
	 * @param clientConfiguration the client's configuration
	 * @return the factory
	 */
	public LettuceConnectionFactory connectionFactory(LettuceClientConfiguration clientConfiguration) {
		LettuceConnectionFactory factory;
		if (this == STANDALONE) {
			TestRedis redis = TestRedis.get();
			factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration(redis.host(), redis.port()),
					clientConfiguration);
		}
		else {
			List<String> nodes = TestRedisCluster.get().nodes();
			factory = new LettuceConnectionFactory(new RedisClusterConfiguration(nodes), clientConfiguration);
		}
		factory.afterPropertiesSet();
		factory.start();
		await("a first connection to the " + this.name().toLowerCase(Locale.ROOT) + " Redis")
			.atMost(Duration.ofSeconds(30))
			.ignoreExceptions()
			.until(() -> {
				ReactiveRedisConnection connection = factory.getReactiveConnection();
				try {
					return connection.ping().block(Duration.ofSeconds(5)) != null;
				}
				finally {
					connection.close();
				}
			});
		return factory;
	}

}
