package dev.protevus.boot.queue;

import java.util.ArrayList;
import java.util.List;

import dev.protevus.boot.RedisTopology;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The queue semantics on Redis Streams, against the embedded standalone Redis;
 * {@link RedisClusterJobQueueTests} runs them on the cluster.
 */
class RedisJobQueueTests extends AbstractJobQueueTests {

	private final List<LettuceConnectionFactory> factories = new ArrayList<>();

	@Override
	protected void closeBrokers() {
		this.factories.forEach(LettuceConnectionFactory::destroy);
	}

	@Override
	protected QueueBroker broker(String group) {
		LettuceConnectionFactory factory = RedisTopology.of(getClass()).connectionFactory();
		this.factories.add(factory);
		return new RedisQueueBroker(factory, "test-queue:", group, (name) -> SETTINGS, this.scheduler.scheduler());
	}

}
