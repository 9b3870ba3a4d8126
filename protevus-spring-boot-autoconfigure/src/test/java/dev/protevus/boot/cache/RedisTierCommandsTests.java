package dev.protevus.boot.cache;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.protevus.boot.RedisTopology;
import dev.protevus.boot.resilience.LockFreeCircuitBreakers;
import dev.protevus.boot.test.TestRedis;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.lettuce.core.ReadFrom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.ReactiveRedisClusterConnection;
import org.springframework.data.redis.connection.ReactiveRedisConnection;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.connection.RedisStaticMasterReplicaConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which commands {@link RedisTierSupport} chooses for a connection factory, on the
 * standalone Redis and the three-master cluster of protevus-spring-boot-test, and that
 * Lettuce's native commands and Spring Data's write the same keys and bytes, so that
 * instances on either read what the other wrote.
 */
class RedisTierCommandsTests {

	private static final Duration TTL = Duration.ofMinutes(5);

	private static final Duration BOUND = Duration.ofSeconds(10);

	private static final Map<RedisTopology, LettuceConnectionFactory> factories = new EnumMap<>(RedisTopology.class);

	private final List<RedisTierSupport> supports = new ArrayList<>();

	private final List<LettuceConnectionFactory> ownFactories = new ArrayList<>();

	private final MutableClock clock = new MutableClock();

	private final EntryCodec codec = new EntryCodec(
			new JsonCacheValueSerializer(new ObjectMapper(), List.of("dev.protevus.boot.cache")));

	private final String prefix = "commands-" + UUID.randomUUID() + ":";

	@AfterEach
	void closeSupports() {
		this.supports.forEach(RedisTierSupport::stop);
		this.ownFactories.forEach(LettuceConnectionFactory::destroy);
	}

	@AfterAll
	static void disconnect() {
		factories.values().forEach(LettuceConnectionFactory::destroy);
	}

	@ParameterizedTest
	@EnumSource(RedisTopology.class)
	void aLettuceConnectionFactoryGetsLettucesNativeCommands(RedisTopology topology) {
		assertThat(commands(support(factory(topology)))).isInstanceOf(LettuceTierCommands.class);
	}

	@ParameterizedTest
	@EnumSource(RedisTopology.class)
	void anyOtherConnectionFactoryGetsSpringDatasCommands(RedisTopology topology) {
		assertThat(commands(support(notLettuce(factory(topology))))).isInstanceOf(SpringDataTierCommands.class);
	}

	@ParameterizedTest
	@EnumSource(RedisTopology.class)
	void aFactoryReadingFromReplicasGetsLettucesNativeCommandsOnlyOnACluster(RedisTopology topology) {
		LettuceConnectionFactory readingFromReplicas = topology
			.connectionFactory(LettuceClientConfiguration.builder().readFrom(ReadFrom.REPLICA_PREFERRED).build());
		this.ownFactories.add(readingFromReplicas);
		// Standalone and Sentinel factories read from replicas through MasterReplica,
		// with a URI they keep to themselves; a cluster connection takes the ReadFrom.
		assertThat(commands(support(readingFromReplicas))).isInstanceOf(
				(topology == RedisTopology.CLUSTER) ? LettuceTierCommands.class : SpringDataTierCommands.class);
	}

	@Test
	void aStaticMasterReplicaFactoryGetsSpringDatasCommands() {
		TestRedis redis = TestRedis.get();
		LettuceConnectionFactory masterReplica = new LettuceConnectionFactory(
				new RedisStaticMasterReplicaConfiguration(redis.host(), redis.port()),
				LettuceClientConfiguration.defaultConfiguration());
		masterReplica.afterPropertiesSet();
		this.ownFactories.add(masterReplica);
		RedisTierSupport support = support(masterReplica);
		assertThat(commands(support)).isInstanceOf(SpringDataTierCommands.class);
		TierStore store = support.createStore("books", TieredCacheSettings.of(TTL, CacheTier.REDIS), this.codec,
				this.clock);
		store.put("1", entry("Dune")).block(BOUND);
		assertThat(store.get("1").block(BOUND).get()).isEqualTo("Dune");
	}

	@ParameterizedTest
	@EnumSource(RedisTopology.class)
	void whatEitherWritesTheOtherReadsBack(RedisTopology topology) {
		RedisTierSupport lettuce = support(factory(topology));
		RedisTierSupport springData = support(notLettuce(factory(topology)));
		assertThat(commands(lettuce)).isInstanceOf(LettuceTierCommands.class);
		assertThat(commands(springData)).isInstanceOf(SpringDataTierCommands.class);
		// A cache whose first tier is Redis reads values alone; one below memory reads
		// their remaining time too.
		for (TieredCacheSettings settings : List.of(TieredCacheSettings.of(TTL, CacheTier.REDIS),
				TieredCacheSettings.of(TTL, CacheTier.MEMORY, CacheTier.REDIS))) {
			TierStore throughLettuce = lettuce.createStore("books", settings, this.codec, this.clock);
			TierStore throughSpringData = springData.createStore("books", settings, this.codec, this.clock);
			assertReadsBack(throughLettuce, throughSpringData, settings);
			assertReadsBack(throughSpringData, throughLettuce, settings);
		}
	}

	@ParameterizedTest
	@EnumSource(RedisTopology.class)
	void bothWriteTheSameKeysAndBytes(RedisTopology topology) {
		TieredCacheSettings settings = TieredCacheSettings.of(TTL, CacheTier.REDIS);
		TierStore throughLettuce = support(factory(topology)).createStore("books", settings, this.codec, this.clock);
		TierStore throughSpringData = support(notLettuce(factory(topology))).createStore("books", settings, this.codec,
				this.clock);
		CacheEntry entry = entry("Dune");
		throughLettuce.put("lettuce", entry).block(BOUND);
		throughSpringData.put("spring-data", entry).block(BOUND);
		byte[] expected = this.codec.encode(entry);
		assertThat(readRaw(topology, this.prefix + "books::lettuce")).isEqualTo(expected);
		assertThat(readRaw(topology, this.prefix + "books::spring-data")).isEqualTo(expected);
	}

	private void assertReadsBack(TierStore writer, TierStore reader, TieredCacheSettings settings) {
		String key = UUID.randomUUID().toString();
		CacheEntry entry = entry("Dune " + key);
		writer.put(key, entry).block(BOUND);
		CacheEntry read = reader.get(key).block(BOUND);
		assertThat(read).isNotNull();
		assertThat(read.get()).isEqualTo("Dune " + key);
		if (settings.tiers().get(0) == CacheTier.REDIS) {
			assertThat(read.expiresAt()).as("fresh while Redis keeps it").isEqualTo(Long.MAX_VALUE);
		}
		else {
			assertThat(read.expiresAt()).as("from Redis's remaining time")
				.isBetween(entry.expiresAt() - Duration.ofSeconds(1).toMillis(), entry.expiresAt());
		}
		reader.evict(key).block(BOUND);
		assertThat(writer.get(key).block(BOUND)).isNull();
		assertThat(reader.get(key).block(BOUND)).isNull();
	}

	private CacheEntry entry(Object value) {
		return new CacheEntry(value, this.clock.millis() + TTL.toMillis());
	}

	private static LettuceConnectionFactory factory(RedisTopology topology) {
		synchronized (factories) {
			return factories.computeIfAbsent(topology, RedisTopology::connectionFactory);
		}
	}

	private RedisTierSupport support(ReactiveRedisConnectionFactory connectionFactory) {
		RedisTierSupport support = new RedisTierSupport(connectionFactory, this.prefix, Duration.ofSeconds(2),
				Duration.ofSeconds(2), CircuitBreaker.of("commands-test",
						LockFreeCircuitBreakers.lockFree(CircuitBreakerConfig.ofDefaults())));
		support.start();
		this.supports.add(support);
		return support;
	}

	private static RedisTierCommands commands(RedisTierSupport support) {
		return support.commands().block(BOUND);
	}

	private static byte[] readRaw(RedisTopology topology, String key) {
		ReactiveRedisConnection connection = factory(topology).getReactiveConnection();
		try {
			ByteBuffer buffer = connection.stringCommands()
				.get(ByteBuffer.wrap(key.getBytes(StandardCharsets.UTF_8)))
				.block(BOUND);
			byte[] bytes = new byte[buffer.remaining()];
			buffer.get(bytes);
			return bytes;
		}
		finally {
			connection.close();
		}
	}

	/**
	 * A factory that is not Lettuce's, though its connections are.
	 */
	private static ReactiveRedisConnectionFactory notLettuce(LettuceConnectionFactory lettuce) {
		return new ReactiveRedisConnectionFactory() {

			@Override
			public ReactiveRedisConnection getReactiveConnection() {
				return lettuce.getReactiveConnection();
			}

			@Override
			public ReactiveRedisClusterConnection getReactiveClusterConnection() {
				return lettuce.getReactiveClusterConnection();
			}

			@Override
			public DataAccessException translateExceptionIfPossible(RuntimeException ex) {
				return lettuce.translateExceptionIfPossible(ex);
			}

		};
	}

}
