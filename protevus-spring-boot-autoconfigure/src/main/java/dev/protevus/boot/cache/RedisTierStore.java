package dev.protevus.boot.cache;

import java.time.Clock;
import java.time.Duration;

import java.nio.ByteBuffer;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.data.redis.connection.ReactiveRedisConnection;
import org.springframework.data.redis.connection.RedisStringCommands.SetOption;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.types.Expiration;

/**
 * The Redis tier of one cache: keys are {@code <prefix><cache>::<key>}, values encoded
 * entries, and Redis expires them with the cache's retention.
 */
final class RedisTierStore extends EncodedTierStore {

	private static final Duration BULK_TIMEOUT = Duration.ofSeconds(30);

	private static final int SCAN_BATCH = 500;

	private final RedisTierSupport support;

	private final String namespace;

	RedisTierStore(RedisTierSupport support, String cacheName, TieredCacheSettings settings, EntryCodec codec,
			Clock clock) {
		super(codec, clock, settings.staleWhileRevalidate().toMillis(), "Redis tier of cache '" + cacheName + "':");
		this.support = support;
		this.namespace = support.keyPrefix() + cacheName + "::";
	}

	@Override
	public CacheTier tier() {
		return CacheTier.REDIS;
	}

	@Override
	public Mono<CacheEntry> get(String key) {
		ByteBuffer redisKey = key(key);
		return counted(this.support
			.guard(this.support.execute((connection) -> connection.stringCommands().get(redisKey)),
					this.support.timeout(), "get", this.counters, this.log)
			.handle((buffer, sink) -> {
				try {
					byte[] bytes = new byte[buffer.remaining()];
					buffer.get(bytes);
					sink.next(this.codec.decode(bytes));
				}
				catch (RuntimeException ex) {
					failed("read", ex);
				}
			}));
	}

	private ByteBuffer key(String key) {
		return RedisTierSupport.bytes(this.namespace + key);
	}

	@Override
	public Mono<Void> put(String key, CacheEntry entry) {
		long remaining = retentionLeft(entry);
		if (remaining <= 0) {
			return Mono.empty();
		}
		byte[] bytes;
		try {
			bytes = this.codec.encode(entry);
		}
		catch (RuntimeException ex) {
			failed("write", ex);
			return Mono.empty();
		}
		ByteBuffer redisKey = key(key);
		return this.support
			.guard(this.support.execute((connection) -> connection.stringCommands()
				.set(redisKey, ByteBuffer.wrap(bytes), Expiration.milliseconds(remaining), SetOption.upsert())),
					this.support.timeout(), "put", this.counters, this.log)
			.doOnNext((stored) -> this.counters.puts.increment())
			.then();
	}

	@Override
	public Mono<Void> evict(String key) {
		ByteBuffer redisKey = key(key);
		return this.support
			.guard(this.support.execute((connection) -> connection.keyCommands().unlink(redisKey)),
					this.support.timeout(), "evict", this.counters, this.log)
			.doOnNext((removed) -> this.counters.evictions.add(removed))
			.then();
	}

	@Override
	public Mono<Void> clear() {
		// SCAN + UNLINK in batches: never KEYS (blocks Redis) nor FLUSHDB (other data).
		Mono<Long> removed = this.support
			.executeMany((connection) -> scan(connection).buffer(SCAN_BATCH)
				.concatMap((keys) -> connection.keyCommands().mUnlink(keys)))
			.reduce(0L, Long::sum);
		return this.support.guard(removed, BULK_TIMEOUT, "clear", this.counters, this.log)
			.doOnNext(this.counters.evictions::add)
			.then();
	}

	@Override
	public Mono<Long> size() {
		Mono<Long> count = this.support.executeMany(this::scan).count();
		return this.support.guard(count, BULK_TIMEOUT, "size", this.counters, this.log);
	}

	private Flux<ByteBuffer> scan(ReactiveRedisConnection connection) {
		return connection.keyCommands()
			.scan(ScanOptions.scanOptions().match(escapeGlob(this.namespace) + "*").count(SCAN_BATCH).build());
	}

	/**
	 * Escapes Redis glob characters so that a prefix or cache name matches only itself.
	 */
	static String escapeGlob(String text) {
		StringBuilder escaped = new StringBuilder(text.length() + 8);
		for (char c : text.toCharArray()) {
			if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\' || c == '^' || c == '-') {
				escaped.append('\\');
			}
			escaped.append(c);
		}
		return escaped.toString();
	}

}
