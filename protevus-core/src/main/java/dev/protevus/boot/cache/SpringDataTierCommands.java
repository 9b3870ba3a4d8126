package dev.protevus.boot.cache;

import java.nio.ByteBuffer;

import reactor.core.publisher.Mono;

import org.springframework.data.redis.connection.ReactiveRedisConnection;
import org.springframework.data.redis.connection.RedisStringCommands.SetOption;
import org.springframework.data.redis.core.types.Expiration;

/**
 * The tier's single-key commands on Spring Data's reactive connection, for any connection
 * factory; the connection belongs to {@link RedisTierSupport}, which closes it.
 */
final class SpringDataTierCommands implements RedisTierCommands {

	private final ReactiveRedisConnection connection;

	SpringDataTierCommands(ReactiveRedisConnection connection) {
		this.connection = connection;
	}

	@Override
	public Mono<byte[]> get(byte[] key) {
		return this.connection.stringCommands().get(ByteBuffer.wrap(key)).map(SpringDataTierCommands::bytes);
	}

	@Override
	public Mono<ValueWithTtl> getWithTtl(byte[] key) {
		return Mono.zip(this.connection.stringCommands().get(ByteBuffer.wrap(key)),
				this.connection.keyCommands().pTtl(ByteBuffer.wrap(key)),
				(value, ttl) -> new ValueWithTtl(bytes(value), ttl));
	}

	@Override
	public Mono<Boolean> set(byte[] key, byte[] value, long ttlMillis) {
		return this.connection.stringCommands()
			.set(ByteBuffer.wrap(key), ByteBuffer.wrap(value), Expiration.milliseconds(ttlMillis), SetOption.upsert());
	}

	@Override
	public Mono<Long> unlink(byte[] key) {
		return this.connection.keyCommands().unlink(ByteBuffer.wrap(key));
	}

	@Override
	public Mono<Long> publish(byte[] channel, byte[] message) {
		return this.connection.pubSubCommands().publish(ByteBuffer.wrap(channel), ByteBuffer.wrap(message));
	}

	@Override
	public Mono<Void> close() {
		return Mono.empty();
	}

	private static byte[] bytes(ByteBuffer buffer) {
		byte[] bytes = new byte[buffer.remaining()];
		buffer.get(bytes);
		return bytes;
	}

}
