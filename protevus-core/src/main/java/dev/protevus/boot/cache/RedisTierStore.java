package dev.protevus.boot.cache;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SynchronousSink;

import org.springframework.data.redis.connection.ReactiveRedisConnection;
import org.springframework.data.redis.core.ScanOptions;

/**
 * The Redis tier of one cache: keys are {@code <prefix><cache>::<key>}, values encoded
 * entries, and Redis expires them with the cache's retention, which is also where a
 * reader learns how long an entry has left. Values larger than the maximum value size are
 * not written; an entry that cannot be decoded is deleted and counted as an error.
 */
final class RedisTierStore extends EncodedTierStore {

	private static final Duration BULK_TIMEOUT = Duration.ofSeconds(30);

	private static final int SCAN_BATCH = 500;

	/**
	 * What PTTL answers for a key that no longer exists.
	 */
	private static final long PTTL_MISSING = -2;

	/**
	 * Marks a read made without the remaining time.
	 */
	private static final long FRESH_WHILE_PRESENT = Long.MIN_VALUE;

	/**
	 * Keys remembered as unsettled, beyond which the whole tier is cleared once Redis is
	 * back instead.
	 */
	static final int MAX_UNSETTLED = 10_000;

	private static final Log logger = LogFactory.getLog(TieredCache.class);

	private final RedisTierSupport support;

	private final String namespace;

	private final AtomicBoolean oversizeLogged = new AtomicBoolean();

	/**
	 * Whether a read needs the entry's remaining time: only to back-fill a tier above
	 * this one, or to tell a stale entry from a fresh one. A cache whose first tier is
	 * Redis and that serves nothing stale needs neither, since Redis holds only live
	 * entries.
	 */
	private final boolean readsRemainingTime;

	/**
	 * Keys whose eviction or new value did not reach Redis; {@link #settle} deletes them
	 * once Redis is back.
	 */
	private final UnsettledKeys unsettled = new UnsettledKeys(MAX_UNSETTLED);

	RedisTierStore(RedisTierSupport support, String cacheName, TieredCacheSettings settings, EntryCodec codec,
			Clock clock) {
		super(codec, clock, settings.staleWhileRevalidate().toMillis(), "Redis tier of cache '" + cacheName + "':");
		this.support = support;
		this.namespace = support.keyPrefix() + cacheName + "::";
		this.readsRemainingTime = settings.tiers().get(0) != CacheTier.REDIS
				|| !settings.staleWhileRevalidate().isZero();
	}

	@Override
	public CacheTier tier() {
		return CacheTier.REDIS;
	}

	/**
	 * Reads the value and, when the cache needs it, its remaining time in Redis (sent
	 * together, so one round trip). The entry's freshness is counted from Redis's own
	 * ttl, not from the expiry the writer recorded with its clock, so instances whose
	 * clocks disagree still agree on how long an entry lives; an entry read without it is
	 * fresh for as long as Redis keeps it.
	 */
	@Override
	public Mono<CacheEntry> get(String key) {
		byte[] redisKey = key(key);
		if (!this.readsRemainingTime) {
			Mono<byte[]> read = this.support.command((commands) -> commands.get(redisKey));
			return counted(this.support.guard(read, this.support.timeout(), "get", this.counters, this.log)
				.handle((found, sink) -> decode(key, found, FRESH_WHILE_PRESENT, sink)));
		}
		Mono<RedisTierCommands.ValueWithTtl> read = this.support.command((commands) -> commands.getWithTtl(redisKey));
		return counted(this.support.guard(read, this.support.timeout(), "get", this.counters, this.log)
			.handle((found, sink) -> decode(key, found.value(), found.ttlMillis(), sink)));
	}

	/**
	 * Decodes an entry read with its remaining time in milliseconds, or
	 * {@link #FRESH_WHILE_PRESENT}. An entry that cannot be decoded (garbage, truncated
	 * or refused) is deleted so that the next read does not fail again.
	 */
	private void decode(String key, byte[] bytes, long remaining, SynchronousSink<CacheEntry> sink) {
		if (remaining == PTTL_MISSING) {
			return;
		}
		try {
			CacheEntry entry = this.codec.decode(bytes);
			if (remaining == FRESH_WHILE_PRESENT) {
				sink.next(new CacheEntry(entry.storeValue(), Long.MAX_VALUE));
			}
			else {
				sink.next((remaining > 0)
						? new CacheEntry(entry.storeValue(), this.clock.millis() + remaining - this.staleMillis)
						: entry);
			}
		}
		catch (RuntimeException ex) {
			failed("read", ex);
			evictCorrupt(key);
		}
	}

	private void evictCorrupt(String key) {
		byte[] redisKey = key(key);
		this.support
			.guard(this.support.command((commands) -> commands.unlink(redisKey)), this.support.timeout(),
					"delete unreadable entry", this.counters, this.log)
			.subscribe();
	}

	private byte[] key(String key) {
		return RedisTierSupport.utf8(this.namespace + key);
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
		if (bytes.length > this.support.maxValueSize()) {
			if (this.oversizeLogged.compareAndSet(false, true)) {
				logger.warn(this.log.subject() + " a value of " + bytes.length
						+ " bytes is larger than the Redis tier's maximum value size (" + this.support.maxValueSize()
						+ " bytes, protevus.cache.redis.max-value-size); such values stay in the other tiers (logged once per cache)");
			}
			return Mono.empty();
		}
		byte[] redisKey = key(key);
		Mono<Boolean> set = this.support
			.guard(this.support.command((commands) -> commands.set(redisKey, bytes, remaining)), this.support.timeout(),
					"put", this.counters, this.log)
			.doOnNext((stored) -> this.counters.puts.increment())
			.hasElement();
		return this.unsettled.track(key, set).then();
	}

	@Override
	public Mono<Void> evict(String key) {
		return this.unsettled.track(key, unlink(key)).then();
	}

	/**
	 * Deletes, now that Redis answers again, every key whose eviction or new value did
	 * not reach it (or clears the tier, when there were too many to remember). Keys that
	 * still fail stay remembered for the next call.
	 * @param deleted told each key deleted, for the other instances to drop as well
	 * @return whether anything was deleted
	 */
	Mono<Boolean> settle(Consumer<String> deleted) {
		if (this.unsettled.takeOverflow()) {
			return clear().then(Mono.fromCallable(() -> !this.unsettled.overflowed()));
		}
		return Flux.fromIterable(this.unsettled.deletable())
			.flatMap(
					(key) -> Mono
						.defer(() -> this.unsettled.stillDeletable(key) ? this.unsettled.track(key, unlink(key))
								: Mono.just(false))
						.filter(Boolean::booleanValue)
						.doOnNext((applied) -> deleted.accept(key)))
			.hasElements();
	}

	/**
	 * Whether some eviction or new value has not reached Redis yet.
	 * @return {@code true} until {@link #settle} has deleted every such key
	 */
	boolean hasUnsettled() {
		return this.unsettled.any();
	}

	private Mono<Boolean> unlink(String key) {
		byte[] redisKey = key(key);
		return this.support
			.guard(this.support.command((commands) -> commands.unlink(redisKey)), this.support.timeout(), "evict",
					this.counters, this.log)
			.doOnNext((removed) -> this.counters.evictions.add(removed))
			.hasElement();
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
			.hasElement()
			.doOnNext((applied) -> {
				if (!applied) {
					this.unsettled.overflow();
				}
			})
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
