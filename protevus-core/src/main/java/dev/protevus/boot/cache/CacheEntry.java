package dev.protevus.boot.cache;

import org.springframework.cache.Cache.ValueWrapper;
import org.springframework.cache.support.NullValue;

/**
 * One cached value with the instant its freshness ends. Doubles as the
 * {@link ValueWrapper} handed to Spring, so a memory hit allocates nothing.
 */
final class CacheEntry implements ValueWrapper {

	private final Object storeValue;

	private final long expiresAt;

	private final boolean freshWhilePresent;

	CacheEntry(Object storeValue, long expiresAt) {
		this(storeValue, expiresAt, false);
	}

	private CacheEntry(Object storeValue, long expiresAt, boolean freshWhilePresent) {
		this.storeValue = storeValue;
		this.expiresAt = expiresAt;
		this.freshWhilePresent = freshWhilePresent;
	}

	/**
	 * This entry, marked as fresh for as long as the memory tier keeps it: true when the
	 * memory tier expires it no later than its own expiry, which spares a clock read on
	 * every hit.
	 */
	CacheEntry freshWhilePresent() {
		return this.freshWhilePresent ? this : new CacheEntry(this.storeValue, this.expiresAt, true);
	}

	boolean isFreshWhilePresent() {
		return this.freshWhilePresent;
	}

	@Override
	public Object get() {
		return (this.storeValue == NullValue.INSTANCE) ? null : this.storeValue;
	}

	/**
	 * The value as stored: {@link NullValue#INSTANCE} stands for a cached {@code null}.
	 */
	Object storeValue() {
		return this.storeValue;
	}

	boolean isNull() {
		return this.storeValue == NullValue.INSTANCE;
	}

	/**
	 * Epoch milliseconds at which the entry stops being fresh.
	 */
	long expiresAt() {
		return this.expiresAt;
	}

	boolean isFresh(long now) {
		return now < this.expiresAt;
	}

	/**
	 * Whether the entry may still be served, fresh or within the stale window.
	 */
	boolean isUsable(long now, long staleWindowMillis) {
		return now < this.expiresAt + staleWindowMillis;
	}

}
