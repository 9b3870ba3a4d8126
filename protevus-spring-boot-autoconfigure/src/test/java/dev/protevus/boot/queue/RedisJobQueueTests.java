package dev.protevus.boot.queue;

import java.util.ArrayList;
import java.util.List;

import dev.protevus.boot.test.TestRedis;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The queue semantics on Redis Streams, against the embedded Redis.
 */
class RedisJobQueueTests extends AbstractJobQueueTests {

	private final List<LettuceConnectionFactory> factories = new ArrayList<>();

	@Override
	protected void closeBrokers() {
		this.factories.forEach(LettuceConnectionFactory::destroy);
	}

	@Override
	protected QueueBroker broker(String group) {
		TestRedis redis = TestRedis.get();
		LettuceConnectionFactory factory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration(redis.host(), redis.port()));
		factory.afterPropertiesSet();
		factory.start();
		this.factories.add(factory);
		return new RedisQueueBroker(factory, "test-queue:", group, (name) -> SETTINGS, this.scheduler.scheduler());
	}

}
