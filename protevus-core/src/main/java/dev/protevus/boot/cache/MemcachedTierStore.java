package dev.protevus.boot.cache;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;

import com.spotify.folsom.AsciiMemcacheClient;
import com.spotify.folsom.MemcacheStatus;
import reactor.core.publisher.Mono;

import org.springframework.core.serializer.support.SerializationFailedException;

/**
 * The memcached tier of one cache. Keys are {@code <prefix><cache>::<key>}, hashed where
 * memcached's key rules require it ({@link MemcachedKeys}); memcached expires entries
 * with the cache's retention, at most 30 days.
 * <p>
 * Memcached cannot list keys, so {@link #clear()} increments the cache's generation, a
 * counter under {@code <prefix><cache>::#generation}, and every value starts with the
 * generation it was written in: a read fetches value and generation in one multi-get and
 * takes a value of an older generation for a miss. A clear is thus seen at once by every
 * instance, and neither an eviction nor a write racing a clear can bring back a cleared
 * entry. Entries of older generations stay until memcached expires or overwrites them.
 */
final class MemcachedTierStore extends EncodedTierStore {

	/**
	 * Memcached reads an expiry of more than 30 days as a Unix time, and folsom turns one
	 * of 30 days or more into a Unix time of this JVM's clock: staying below keeps the
	 * expiry relative, so a skewed clock cannot shorten or lengthen it.
	 */
	static final int MAX_TTL_SECONDS = 30 * 24 * 60 * 60 - 1;

	private static final int GENERATION_LENGTH = Long.BYTES;

	private final MemcachedTierSupport support;

	private final AsciiMemcacheClient<byte[]> client;

	private final String prefix;

	private final String namespace;

	private final String generationKey;

	MemcachedTierStore(MemcachedTierSupport support, String cacheName, TieredCacheSettings settings, EntryCodec codec,
			Clock clock) {
		super(codec, clock, settings.staleWhileRevalidate().toMillis(), "Memcached tier of cache '" + cacheName + "':");
		this.support = support;
		this.client = support.client();
		this.prefix = support.keyPrefix();
		this.namespace = cacheName + "::";
		this.generationKey = MemcachedKeys.reserved(this.prefix, this.namespace, "generation");
	}

	@Override
	public CacheTier tier() {
		return CacheTier.MEMCACHED;
	}

	String key(String key) {
		return MemcachedKeys.key(this.prefix, this.namespace, key);
	}

	String generationKey() {
		return this.generationKey;
	}

	@Override
	public Mono<CacheEntry> get(String key) {
		String memcachedKey = key(key);
		List<String> keys = List.of(this.generationKey, memcachedKey);
		return counted(this.support.<List<byte[]>>guard(() -> this.client.get(keys), "get", this.counters, this.log)
			.handle((values, sink) -> {
				byte[] generation = values.get(0);
				byte[] stored = values.get(1);
				if (stored == null || generation == null) {
					return;
				}
				try {
					if (stored.length < GENERATION_LENGTH) {
						throw new SerializationFailedException("Not a Protevus memcached entry");
					}
					if (ByteBuffer.wrap(stored).getLong() == parseGeneration(generation)) {
						sink.next(this.codec.decode(Arrays.copyOfRange(stored, GENERATION_LENGTH, stored.length)));
					}
				}
				catch (RuntimeException ex) {
					failed("read", ex);
					// Delete what cannot be read, so that the next read does not fail
					// again.
					this.support.guard(() -> this.client.delete(memcachedKey), "delete", this.counters, this.log)
						.subscribe();
				}
			}));
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
		String memcachedKey = key(key);
		int ttl = ttlSeconds(remaining);
		return this.support
			.<MemcacheStatus>guard(
					() -> generation()
						.thenCompose((generation) -> this.client.set(memcachedKey, tagged(generation, bytes), ttl)),
					"put", this.counters, this.log)
			.doOnNext((status) -> {
				if (status == MemcacheStatus.OK) {
					this.counters.puts.increment();
				}
				else {
					failed("put", new IllegalStateException("memcached answered " + status));
				}
			})
			.then();
	}

	/**
	 * Seconds until memcached may drop an entry: its retention rounded up, so that it
	 * never goes before the entry is due, and below 30 days.
	 */
	static int ttlSeconds(long remainingMillis) {
		long seconds = (remainingMillis + 999) / 1000;
		return (int) Math.max(1, Math.min(seconds, MAX_TTL_SECONDS));
	}

	private static byte[] tagged(long generation, byte[] encoded) {
		return ByteBuffer.allocate(GENERATION_LENGTH + encoded.length).putLong(generation).put(encoded).array();
	}

	/**
	 * The cache's current generation, created when missing.
	 */
	private CompletionStage<Long> generation() {
		return this.client.get(this.generationKey).thenCompose((generation) -> {
			if (generation != null) {
				return CompletableFuture.completedFuture(parseGeneration(generation));
			}
			return this.client.add(this.generationKey, initialGeneration(), 0)
				.thenCompose((added) -> this.client.get(this.generationKey))
				.thenApply((created) -> {
					if (created == null) {
						throw new IllegalStateException("memcached did not keep the generation of this cache");
					}
					return parseGeneration(created);
				});
		});
	}

	/**
	 * A random start below 2^62, so that a counter memcached lost (evicted, or a server
	 * restarted) is not created again with a value older entries carry, whatever the
	 * instances' clocks say, and increments never overflow.
	 */
	private static byte[] initialGeneration() {
		return Long.toString(ThreadLocalRandom.current().nextLong(1L << 62)).getBytes(StandardCharsets.US_ASCII);
	}

	/**
	 * Reads a decimal counter; memcached may pad one that {@code incr} shortened with
	 * spaces.
	 */
	static long parseGeneration(byte[] digits) {
		long value = 0;
		int count = 0;
		for (byte digit : digits) {
			if (digit == ' ') {
				continue;
			}
			if (digit < '0' || digit > '9' || count == 19) {
				throw new SerializationFailedException("Not a generation counter");
			}
			value = value * 10 + (digit - '0');
			count++;
		}
		if (count == 0) {
			throw new SerializationFailedException("Not a generation counter");
		}
		return value;
	}

	@Override
	public Mono<Void> evict(String key) {
		String memcachedKey = key(key);
		return this.support
			.<MemcacheStatus>guard(() -> this.client.delete(memcachedKey), "evict", this.counters, this.log)
			.doOnNext((status) -> {
				if (status == MemcacheStatus.OK) {
					this.counters.evictions.increment();
				}
			})
			.then();
	}

	/**
	 * Starts a new generation, which makes every entry of this cache a miss for every
	 * instance; when memcached lost the counter, creates it anew.
	 */
	@Override
	public Mono<Void> clear() {
		return this.support.<Boolean>guard(() -> this.client.incr(this.generationKey, 1).thenCompose((incremented) -> {
			if (incremented != null) {
				return CompletableFuture.completedFuture(true);
			}
			return this.client.add(this.generationKey, initialGeneration(), 0).thenApply((added) -> true);
		}), "clear", this.counters, this.log).then();
	}

	/**
	 * Memcached cannot count one cache's entries.
	 */
	@Override
	public Mono<Long> size() {
		return Mono.empty();
	}

}
