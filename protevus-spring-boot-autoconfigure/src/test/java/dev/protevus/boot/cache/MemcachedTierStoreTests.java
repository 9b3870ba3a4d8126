package dev.protevus.boot.cache;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.spotify.folsom.AsciiMemcacheClient;
import com.spotify.folsom.MemcacheClientBuilder;
import dev.protevus.boot.resilience.LockFreeCircuitBreakers;
import dev.protevus.boot.test.TestMemcached;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The tier contract on the memcached tier, and what is particular to memcached: the
 * generation counter behind clear, relative expiry below 30 days, unreadable entries;
 * against the real memcached of protevus-spring-boot-test.
 */
@Tag("memcached")
class MemcachedTierStoreTests extends AbstractTierStoreTests {

	private final List<MemcachedTierSupport> supports = new ArrayList<>();

	@AfterEach
	void shutDown() {
		this.supports.forEach(MemcachedTierSupport::destroy);
	}

	static AsciiMemcacheClient<byte[]> client() {
		TestMemcached server = TestMemcached.get();
		AsciiMemcacheClient<byte[]> client = MemcacheClientBuilder.newByteArrayClient()
			.withAddress(server.host(), server.port())
			.withReplyExecutor(null)
			.connectAscii();
		try {
			client.awaitConnected(10, TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			throw new IllegalStateException("Could not connect to " + server.servers(), ex);
		}
		return client;
	}

	MemcachedTierSupport support(String prefix) {
		MemcachedTierSupport support = new MemcachedTierSupport(client(), prefix, Duration.ofSeconds(2), CircuitBreaker
			.of("memcached-store-test", LockFreeCircuitBreakers.lockFree(CircuitBreakerConfig.ofDefaults())));
		this.supports.add(support);
		return support;
	}

	@Override
	TierStore store(String prefix, String cacheName, TieredCacheSettings settings) {
		return support(prefix).createStore(cacheName, settings, this.codec, this.clock);
	}

	@Override
	CacheTier tier() {
		return CacheTier.MEMCACHED;
	}

	@Test
	void memcachedExpiresAnEntryWithTheCachesRetention() {
		TierStore store = store(this.prefix, "books", TieredCacheSettings.of(TTL, CacheTier.MEMORY, CacheTier.MEMCACHED)
			.withStaleWhileRevalidate(Duration.ofMinutes(1)));
		put(store, "1", entry("one"));
		// Five minutes of ttl and one of stale window: 360 s, of which memcached may have
		// counted the second that started meanwhile.
		assertThat(remainingTtl(((MemcachedTierStore) store).key("1"))).isBetween(359L, 360L);
	}

	@Test
	void expiryStaysRelativeBelowThirtyDays() {
		TierStore store = store("books");
		put(store, "far", new CacheEntry("far", this.clock.millis() + Duration.ofDays(90).toMillis()));
		assertThat(get(store, "far").get()).isEqualTo("far");
		assertThat(remainingTtl(((MemcachedTierStore) store).key("far")))
			.isBetween(MemcachedTierStore.MAX_TTL_SECONDS - 1L, (long) MemcachedTierStore.MAX_TTL_SECONDS);
	}

	@Test
	void clearOnOneInstanceIsSeenAtOnceByAnother() {
		TierStore first = store("books");
		TierStore second = store("books");
		put(first, "1", entry("one"));
		assertThat(get(second, "1").get()).isEqualTo("one");
		first.clear().block(BOUND);
		assertThat(get(second, "1")).isNull();
		put(second, "1", entry("new"));
		assertThat(get(first, "1").get()).isEqualTo("new");
	}

	@Test
	void entriesOfALostGenerationCounterAreMisses() {
		MemcachedTierStore store = (MemcachedTierStore) store("books");
		put(store, "1", entry("one"));
		assertThat(command("delete " + store.generationKey())).isEqualTo("DELETED");
		assertThat(get(store, "1")).isNull();
		put(store, "1", entry("again"));
		assertThat(get(store, "1").get()).isEqualTo("again");
	}

	@Test
	void clearCreatesALostGenerationCounter() {
		MemcachedTierStore store = (MemcachedTierStore) store("books");
		put(store, "1", entry("one"));
		assertThat(command("delete " + store.generationKey())).isEqualTo("DELETED");
		store.clear().block(BOUND);
		assertThat(command("mg " + store.generationKey() + " v")).startsWith("VA");
		assertThat(get(store, "1")).isNull();
		assertThat(store.counters().errors.sum()).isZero();
	}

	@Test
	void unreadableEntryIsACountedMissAndIsDeleted() {
		MemcachedTierStore store = (MemcachedTierStore) store("books");
		put(store, "1", entry("one"));
		String key = store.key("1");
		assertThat(command("set " + key + " 0 60 7\r\ngarbage")).isEqualTo("STORED");
		assertThat(get(store, "1")).isNull();
		assertThat(store.counters().errors.sum()).isOne();
		await().untilAsserted(() -> assertThat(command("mg " + key + " v")).isEqualTo("EN"));
		assertThat(get(store, "1")).isNull();
		assertThat(store.counters().errors.sum()).isOne();
	}

	@Test
	void keysBreakingMemcachedsRulesAreHashedToValidKeys() {
		MemcachedTierStore store = (MemcachedTierStore) store("books");
		for (String key : List.of("with space", "k".repeat(300), "tab\there")) {
			String memcachedKey = store.key(key);
			assertThat(memcachedKey.getBytes(StandardCharsets.UTF_8)).hasSizeLessThanOrEqualTo(250);
			assertThat(memcachedKey).doesNotContain(" ", "\t").startsWith(this.prefix + "#");
		}
		assertThat(store.key("plain")).isEqualTo(this.prefix + "books::plain");
	}

	/**
	 * Seconds until memcached drops a key, by its meta protocol.
	 */
	private static long remainingTtl(String key) {
		String answer = command("mg " + key + " t");
		assertThat(answer).startsWith("HD t");
		return Long.parseLong(answer.substring("HD t".length()).trim());
	}

	/**
	 * Sends one text-protocol command and returns the first line of the answer.
	 */
	static String command(String command) {
		TestMemcached server = TestMemcached.get();
		try (Socket socket = new Socket(server.host(), server.port())) {
			socket.setSoTimeout(5000);
			OutputStream out = socket.getOutputStream();
			out.write((command + "\r\n").getBytes(StandardCharsets.UTF_8));
			out.flush();
			return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))
				.readLine();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
