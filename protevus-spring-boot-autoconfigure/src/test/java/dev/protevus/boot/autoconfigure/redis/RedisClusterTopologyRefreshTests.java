package dev.protevus.boot.autoconfigure.redis;

import java.time.Duration;

import dev.protevus.boot.test.WithTestRedisCluster;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions.RefreshTrigger;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.data.redis.RedisAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An application on a Redis Cluster gets Lettuce's adaptive and periodic topology refresh
 * from Protevus's defaults of Boot's keys, so that it follows a promoted replica.
 */
@SpringBootTest
@WithTestRedisCluster
class RedisClusterTopologyRefreshTests {

	@Test
	void lettuceRefreshesTheClusterTopologyAdaptivelyAndPeriodically(
			@Autowired LettuceConnectionFactory connectionFactory) {
		assertThat(connectionFactory.isClusterAware()).isTrue();
		ClientOptions options = connectionFactory.getClientConfiguration().getClientOptions().orElseThrow();
		assertThat(options).isInstanceOf(ClusterClientOptions.class);
		ClusterTopologyRefreshOptions refresh = ((ClusterClientOptions) options).getTopologyRefreshOptions();
		assertThat(refresh.getAdaptiveRefreshTriggers()).contains(RefreshTrigger.PERSISTENT_RECONNECTS,
				RefreshTrigger.MOVED_REDIRECT);
		assertThat(refresh.isPeriodicRefreshEnabled()).isTrue();
		assertThat(refresh.getRefreshPeriod()).isEqualTo(Duration.ofSeconds(10));
	}

	@SpringBootConfiguration
	@ImportAutoConfiguration(RedisAutoConfiguration.class)
	static class Config {

	}

}
