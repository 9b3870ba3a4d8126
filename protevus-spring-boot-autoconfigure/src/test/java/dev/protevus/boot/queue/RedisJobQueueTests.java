package dev.protevus.boot.queue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.protevus.boot.RedisTopology;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.connection.stream.Consumer;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.ReadOffset;
import org.springframework.data.redis.connection.stream.StreamOffset;
import org.springframework.data.redis.connection.stream.StreamReadOptions;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

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

	@Test
	void anAcknowledgedEntryWhoseDeletionWasLostCountsInNoFigure() {
		BrokerJobQueue jobs = jobQueue("a");
		jobs.publish(this.queue, new Email("to@example.com", 1)).block(Duration.ofSeconds(5));
		LettuceConnectionFactory factory = RedisTopology.of(getClass()).connectionFactory();
		this.factories.add(factory);
		StringRedisTemplate redis = new StringRedisTemplate(factory);
		String stream = "test-queue:{" + this.queue + "}";
		// What a failover between the XACK and the XDEL leaves: read and acknowledged,
		// still in the stream.
		if (redis.opsForStream().groups(stream).isEmpty()) {
			redis.opsForStream().createGroup(stream, ReadOffset.from("0"), "tests");
		}
		List<MapRecord<String, Object, Object>> read = redis.opsForStream()
			.read(Consumer.from("tests", "probe"), StreamReadOptions.empty().count(1),
					StreamOffset.create(stream, ReadOffset.lastConsumed()));
		assertThat(read).hasSize(1);
		redis.opsForStream().acknowledge(stream, "tests", read.get(0).getId());
		assertThat(redis.opsForStream().size(stream)).isOne();
		QueueStats stats = jobs.stats(this.queue).block(Duration.ofSeconds(5));
		assertThat(stats.depth()).isZero();
		assertThat(stats.pending()).isZero();
		assertThat(stats.lag()).isZero();
		jobs.publish(this.queue, new Email("to@example.com", 2)).block(Duration.ofSeconds(5));
		assertThat(jobs.stats(this.queue).block(Duration.ofSeconds(5)).depth()).isOne();
	}

	@Override
	protected QueueBroker broker(String group) {
		LettuceConnectionFactory factory = RedisTopology.of(getClass()).connectionFactory();
		this.factories.add(factory);
		return new RedisQueueBroker(factory, "test-queue:", group, (name) -> SETTINGS, this.scheduler.scheduler());
	}

}
