package dev.protevus.boot.cache;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import org.springframework.cache.support.NullValue;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The contract every tier below memory keeps, run against each one by a subclass: what is
 * put is read back with its expiry, evict and clear remove what they name and nothing
 * else, and the counters say what happened.
 */
abstract class AbstractTierStoreTests {

	static final Duration TTL = Duration.ofMinutes(5);

	static final Duration BOUND = Duration.ofSeconds(10);

	final MutableClock clock = new MutableClock();

	final EntryCodec codec = new EntryCodec(
			new JsonCacheValueSerializer(new ObjectMapper(), List.of("dev.protevus.boot.cache")));

	/**
	 * A prefix no other test uses, since the servers are shared.
	 */
	final String prefix = "store-" + UUID.randomUUID() + ":";

	/**
	 * The tier of one cache, with the given key prefix.
	 */
	abstract TierStore store(String prefix, String cacheName, TieredCacheSettings settings);

	abstract CacheTier tier();

	TierStore store(String cacheName) {
		return store(this.prefix, cacheName, TieredCacheSettings.of(TTL, CacheTier.MEMORY, tier()));
	}

	CacheEntry entry(Object value) {
		return new CacheEntry(value, this.clock.millis() + TTL.toMillis());
	}

	static void put(TierStore store, String key, CacheEntry entry) {
		store.put(key, entry).block(BOUND);
	}

	static CacheEntry get(TierStore store, String key) {
		return store.get(key).block(BOUND);
	}

	@Test
	void readsBackWhatWasPutWithItsExpiry() {
		TierStore store = store("books");
		CacheEntry entry = entry(new Book(1L, "Dune"));
		put(store, "1", entry);
		CacheEntry read = get(store, "1");
		assertThat(read).isNotNull();
		assertThat(read.get()).isEqualTo(new Book(1L, "Dune"));
		assertThat(read.expiresAt()).isBetween(entry.expiresAt() - expiryTolerance().toMillis(), entry.expiresAt());
	}

	/**
	 * How much earlier than written an entry's expiry may read back: zero where the store
	 * keeps the writer's expiry, more where the remaining time comes from the server.
	 * @return the tolerance
	 */
	protected Duration expiryTolerance() {
		return Duration.ZERO;
	}

	@Test
	void missesAKeyNeverPut() {
		TierStore store = store("books");
		assertThat(get(store, "absent")).isNull();
		assertThat(store.counters().misses.sum()).isOne();
		assertThat(store.counters().hits.sum()).isZero();
	}

	@Test
	void keepsACachedNull() {
		TierStore store = store("books");
		put(store, "none", entry(NullValue.INSTANCE));
		CacheEntry read = get(store, "none");
		assertThat(read).isNotNull();
		assertThat(read.isNull()).isTrue();
		assertThat(read.get()).isNull();
	}

	@Test
	void overwritesAnEntry() {
		TierStore store = store("books");
		put(store, "1", entry("first"));
		put(store, "1", entry("second"));
		assertThat(get(store, "1").get()).isEqualTo("second");
	}

	@Test
	void evictRemovesOnlyTheKeyItNames() {
		TierStore store = store("books");
		put(store, "1", entry("one"));
		put(store, "2", entry("two"));
		store.evict("1").block(BOUND);
		assertThat(get(store, "1")).isNull();
		assertThat(get(store, "2").get()).isEqualTo("two");
		assertThat(store.counters().evictions.sum()).isOne();
	}

	@Test
	void clearRemovesEveryEntryOfItsCacheAndNothingElse() {
		TierStore books = store("books");
		TierStore authors = store("authors");
		TierStore otherApplication = store("other-" + this.prefix, "books",
				TieredCacheSettings.of(TTL, CacheTier.MEMORY, tier()));
		put(books, "1", entry("book one"));
		put(books, "2", entry("book two"));
		put(authors, "1", entry("author one"));
		put(otherApplication, "1", entry("theirs"));
		books.clear().block(BOUND);
		assertThat(get(books, "1")).isNull();
		assertThat(get(books, "2")).isNull();
		assertThat(get(authors, "1").get()).isEqualTo("author one");
		assertThat(get(otherApplication, "1").get()).isEqualTo("theirs");
	}

	@Test
	void storesAgainAfterAClear() {
		TierStore store = store("books");
		put(store, "1", entry("before"));
		store.clear().block(BOUND);
		put(store, "1", entry("after"));
		assertThat(get(store, "1").get()).isEqualTo("after");
	}

	@Test
	void skipsAnEntryPastItsRetention() {
		TierStore store = store("books");
		put(store, "old", new CacheEntry("old", this.clock.millis() - 1));
		assertThat(get(store, "old")).isNull();
		assertThat(store.counters().puts.sum()).isZero();
	}

	@Test
	void keysOfAnyLengthAndCharacterRoundTripApart() {
		TierStore store = store("books");
		String longKey = "k".repeat(300);
		List<String> keys = List.of("with space", "with\nnewline", "with\u0000nul", "ünïcødé ключ", longKey,
				longKey + "x", "#generation", "");
		for (String key : keys) {
			put(store, key, entry("value of " + key));
		}
		for (String key : keys) {
			assertThat(get(store, key)).as(key).isNotNull().extracting(CacheEntry::get).isEqualTo("value of " + key);
		}
	}

	@Test
	void countsHitsMissesAndPuts() {
		TierStore store = store("books");
		put(store, "1", entry("one"));
		get(store, "1");
		get(store, "1");
		get(store, "2");
		TierCounters counters = store.counters();
		assertThat(counters.puts.sum()).isOne();
		assertThat(counters.hits.sum()).isEqualTo(2);
		assertThat(counters.misses.sum()).isOne();
		assertThat(counters.errors.sum()).isZero();
	}

	record Book(Long id, String title) {
	}

}
