package dev.protevus.boot.cache;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ReadFrom;
import io.lettuce.core.RedisClient;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.reactive.RedisClusterReactiveCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;

import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.lang.Nullable;

/**
 * The tier's single-key commands and invalidation messages on Lettuce's own reactive API,
 * on a connection of its own that the factory's client opens: Spring Data's reactive
 * command objects and their wrapping were most of what a Redis hit cost beyond raw
 * Lettuce. The connection has the factory's URI (credentials, TLS, database, client
 * name), client options (reconnection, disconnected behaviour, request queue) and client
 * resources, since the factory's client makes it as it makes its own; values are read
 * straight into the byte arrays the tier decodes.
 * <p>
 * Used only where that reproduces the factory's connection: standalone, domain socket,
 * Sentinel and Cluster (with the factory's {@link ReadFrom}); a standalone or Sentinel
 * factory that reads from replicas, or a static master/replica one, connects through
 * Lettuce's {@code MasterReplica} with settings the factory keeps to itself, so the tier
 * stays on Spring Data's connection there.
 */
final class LettuceTierCommands implements RedisTierCommands {

	private static final Log logger = LogFactory.getLog(RedisTierSupport.class);

	private final StatefulConnection<byte[], byte[]> connection;

	private final RedisClusterReactiveCommands<byte[], byte[]> commands;

	private LettuceTierCommands(StatefulConnection<byte[], byte[]> connection,
			RedisClusterReactiveCommands<byte[], byte[]> commands) {
		this.connection = connection;
		this.commands = commands;
	}

	/**
	 * Connects with the factory's native client, blocking until connected.
	 * @param connectionFactory the application's connection factory
	 * @return the commands, or {@code null} when the factory's connections cannot be
	 * reproduced with its native client
	 */
	@Nullable
	static RedisTierCommands connect(ReactiveRedisConnectionFactory connectionFactory) {
		if (!(connectionFactory instanceof LettuceConnectionFactory lettuce)) {
			return null;
		}
		AbstractRedisClient client = lettuce.getNativeClient();
		ReadFrom readFrom = lettuce.getClientConfiguration().getReadFrom().orElse(null);
		if (client instanceof RedisClusterClient cluster) {
			StatefulRedisClusterConnection<byte[], byte[]> connection = cluster.connect(ByteArrayCodec.INSTANCE);
			if (readFrom != null) {
				connection.setReadFrom(readFrom);
			}
			return new LettuceTierCommands(connection, connection.reactive());
		}
		if (!(client instanceof RedisClient redis)) {
			return null;
		}
		if (readFrom != null) {
			logger.debug("Redis cache tiers: the connection factory reads from replicas through MasterReplica;"
					+ " single-key commands stay on Spring Data's connection");
			return null;
		}
		StatefulRedisConnection<byte[], byte[]> connection;
		try {
			connection = redis.connect(ByteArrayCodec.INSTANCE);
		}
		catch (IllegalStateException ex) {
			// A static master/replica factory's client has no URI of its own: Lettuce
			// refuses before connecting, and the factory passes its nodes to
			// MasterReplica.
			logger.debug("Redis cache tiers: the connection factory's client cannot connect by itself ("
					+ ex.getMessage() + "); single-key commands stay on Spring Data's connection");
			return null;
		}
		return new LettuceTierCommands(connection, connection.reactive());
	}

	@Override
	public Mono<byte[]> get(byte[] key) {
		return this.commands.get(key);
	}

	@Override
	public Mono<ValueWithTtl> getWithTtl(byte[] key) {
		return Mono.zip(this.commands.get(key), this.commands.pttl(key), ValueWithTtl::new);
	}

	@Override
	public Mono<Boolean> set(byte[] key, byte[] value, long ttlMillis) {
		return this.commands.set(key, value, SetArgs.Builder.px(ttlMillis)).map((reply) -> Boolean.TRUE);
	}

	@Override
	public Mono<Long> unlink(byte[] key) {
		return this.commands.unlink(key);
	}

	@Override
	public Mono<Long> publish(byte[] channel, byte[] message) {
		return this.commands.publish(channel, message);
	}

	@Override
	public Mono<Void> close() {
		return Mono.fromCompletionStage(this.connection::closeAsync);
	}

}
