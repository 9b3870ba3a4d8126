package dev.protevus.boot.autoconfigure.redis;

import org.junit.jupiter.api.Test;

import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RedisUsage}.
 */
class RedisUsageTests {

	@Test
	void redisIsNotInUseWhenNothingAsksForIt() {
		RedisUsage usage = RedisUsage.of(new MockEnvironment().withProperty("protevus.cache.default-ttl", "1h"));
		assertThat(usage.inUse()).isFalse();
		assertThat(usage.reason()).contains("neither");
	}

	@Test
	void aConnectionKeyPutsRedisInUse() {
		RedisUsage usage = RedisUsage.of(new MockEnvironment().withProperty("spring.data.redis.host", "cache"));
		assertThat(usage).isEqualTo(new RedisUsage(true, false));
		assertThat(usage.inUse()).isTrue();
	}

	@Test
	void theDefaultTiersNamingRedisPutRedisInUse() {
		RedisUsage usage = RedisUsage.of(new MockEnvironment().withProperty("protevus.cache.tiers", "memory,REDIS"));
		assertThat(usage).isEqualTo(new RedisUsage(false, true));
	}

	@Test
	void aNamedCacheAskingForRedisPutsRedisInUse() {
		RedisUsage usage = RedisUsage
			.of(new MockEnvironment().withProperty("protevus.cache.caches.books.tiers[0]", "memory")
				.withProperty("protevus.cache.caches.books.tiers[1]", "redis"));
		assertThat(usage).isEqualTo(new RedisUsage(false, true));
	}

	@Test
	void aMisspeltTierIsLeftForTheCacheToReport() {
		RedisUsage usage = RedisUsage.of(new MockEnvironment().withProperty("protevus.cache.tiers", "memory,disk"));
		assertThat(usage.inUse()).isFalse();
	}

}
