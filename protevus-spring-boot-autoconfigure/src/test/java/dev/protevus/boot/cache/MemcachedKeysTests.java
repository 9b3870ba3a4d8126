package dev.protevus.boot.cache;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.core.serializer.support.SerializationFailedException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Memcached's key and expiry rules as the memcached tier applies them; no server needed.
 */
class MemcachedKeysTests {

	@Test
	void keepsKeysThatFollowTheRules() {
		assertThat(MemcachedKeys.key("app:", "books::", "isbn-123")).isEqualTo("app:books::isbn-123");
		assertThat(MemcachedKeys.key("app:", "books::", "ключ")).isEqualTo("app:books::ключ");
	}

	@Test
	void hashesKeysWithSpacesOrControlCharacters() {
		for (String key : new String[] { "a b", "a\nb", "a\u0000b", "a\u007fb", "a\rb" }) {
			String hashed = MemcachedKeys.key("app:", "books::", key);
			assertThat(hashed).startsWith("app:#").hasSize("app:#".length() + 43);
			assertThat(MemcachedKeys.allowed(hashed.getBytes(StandardCharsets.UTF_8))).isTrue();
		}
		assertThat(MemcachedKeys.key("app:", "books::", "a b"))
			.isNotEqualTo(MemcachedKeys.key("app:", "books::", "a\nb"));
	}

	@Test
	void hashesKeysLongerThan250BytesAndKeepsThemApart() {
		String exactly250 = "k".repeat(250 - "app:books::".length());
		assertThat(MemcachedKeys.key("app:", "books::", exactly250)).isEqualTo("app:books::" + exactly250);
		String first = MemcachedKeys.key("app:", "books::", exactly250 + "1");
		String second = MemcachedKeys.key("app:", "books::", exactly250 + "2");
		assertThat(first).startsWith("app:#").isNotEqualTo(second);
		// Multi-byte characters count by their bytes.
		assertThat(MemcachedKeys.key("app:", "books::", "й".repeat(120))).startsWith("app:#");
	}

	@Test
	void reservedKeysCannotBeReachedByACacheKey() {
		String generation = MemcachedKeys.reserved("app:", "books::", "generation");
		assertThat(generation).isEqualTo("app:books::#generation");
		assertThat(MemcachedKeys.key("app:", "books::", "#generation")).isNotEqualTo(generation).startsWith("app:#");
	}

	@Test
	void dropsAnUnusablePrefixFromHashedKeys() {
		assertThat(MemcachedKeys.key("my app:", "books::", "1")).startsWith("#").hasSize(44);
		assertThat(MemcachedKeys.key("p".repeat(245), "books::", "1")).startsWith("#").hasSize(44);
	}

	@Test
	void ttlIsTheRetentionRoundedUpAndStaysBelowThirtyDays() {
		assertThat(MemcachedTierStore.ttlSeconds(1)).isEqualTo(1);
		assertThat(MemcachedTierStore.ttlSeconds(1000)).isEqualTo(1);
		assertThat(MemcachedTierStore.ttlSeconds(1001)).isEqualTo(2);
		assertThat(MemcachedTierStore.ttlSeconds(Duration.ofMinutes(6).toMillis())).isEqualTo(360);
		assertThat(MemcachedTierStore.ttlSeconds(Duration.ofDays(30).toMillis())).isEqualTo(2_591_999);
		assertThat(MemcachedTierStore.ttlSeconds(Duration.ofDays(3650).toMillis())).isEqualTo(2_591_999);
	}

	@Test
	void readsGenerationCountersPaddedBySpaces() {
		assertThat(MemcachedTierStore.parseGeneration("1767225600000".getBytes(StandardCharsets.US_ASCII)))
			.isEqualTo(1767225600000L);
		assertThat(MemcachedTierStore.parseGeneration("99  ".getBytes(StandardCharsets.US_ASCII))).isEqualTo(99);
		assertThatExceptionOfType(SerializationFailedException.class)
			.isThrownBy(() -> MemcachedTierStore.parseGeneration("12a".getBytes(StandardCharsets.US_ASCII)));
		assertThatExceptionOfType(SerializationFailedException.class)
			.isThrownBy(() -> MemcachedTierStore.parseGeneration(new byte[0]));
	}

}
