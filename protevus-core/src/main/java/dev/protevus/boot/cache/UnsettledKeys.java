package dev.protevus.boot.cache;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import reactor.core.publisher.Mono;

/**
 * The keys of one Redis tier whose latest eviction or new value did not reach Redis
 * (unreachable, timed out), so that what Redis holds for them may be older than the
 * truth, for instance restored from a snapshot when Redis restarts.
 * <p>
 * Writes to one key can finish out of order (an early one times out after a later one
 * succeeded), so only the outcome of the write that started last decides whether a key is
 * unsettled; a key with a write still in flight is never deleted as unsettled, since the
 * delete could land after that write's new value.
 */
final class UnsettledKeys {

	private final int capacity;

	private final AtomicLong sequence = new AtomicLong();

	private final ConcurrentHashMap<String, Writes> inFlight = new ConcurrentHashMap<>();

	private final Set<String> keys = ConcurrentHashMap.newKeySet();

	private volatile boolean overflow;

	/**
	 * Creates an empty set.
	 * @param capacity keys remembered, beyond which {@link #overflowed()} tells to clear
	 * the whole tier instead
	 */
	UnsettledKeys(int capacity) {
		this.capacity = capacity;
	}

	/**
	 * Tracks one write to a key: its outcome settles the key, or marks it unsettled,
	 * unless a write started after it has finished first. A cancelled write counts as not
	 * applied, since it may or may not have reached Redis.
	 * @param key the cache key
	 * @param write emits whether Redis applied the write
	 * @return the write, tracked
	 */
	Mono<Boolean> track(String key, Mono<Boolean> write) {
		return Mono.defer(() -> {
			long started = started(key);
			AtomicBoolean applied = new AtomicBoolean();
			return write.doOnNext(applied::set).doFinally((signal) -> finished(key, started, applied.get()));
		});
	}

	private long started(String key) {
		long started = this.sequence.incrementAndGet();
		this.inFlight.compute(key, (k, writes) -> (writes != null) ? writes.plusOne() : new Writes(1, 0));
		return started;
	}

	private void finished(String key, long started, boolean applied) {
		this.inFlight.compute(key, (k, writes) -> {
			if (writes == null || started > writes.decidedBy()) {
				decide(key, applied);
			}
			long decidedBy = (writes != null) ? Math.max(writes.decidedBy(), started) : started;
			int pending = (writes != null) ? writes.pending() - 1 : 0;
			return (pending > 0) ? new Writes(pending, decidedBy) : null;
		});
	}

	private void decide(String key, boolean applied) {
		if (applied) {
			this.keys.remove(key);
		}
		else if (this.keys.size() < this.capacity) {
			this.keys.add(key);
		}
		else {
			this.overflow = true;
		}
	}

	/**
	 * The keys to delete now: unsettled, with no write in flight. Call
	 * {@link #stillDeletable} again right before each delete.
	 * @return a copy
	 */
	List<String> deletable() {
		return this.keys.stream().filter(this::stillDeletable).toList();
	}

	/**
	 * Whether a key is still unsettled and has no write in flight.
	 * @param key the cache key
	 * @return whether deleting it cannot undo a newer write
	 */
	boolean stillDeletable(String key) {
		return this.keys.contains(key) && !this.inFlight.containsKey(key);
	}

	/**
	 * Marks the whole tier as unsettled (a clear that did not reach Redis).
	 */
	void overflow() {
		this.overflow = true;
	}

	/**
	 * Takes the overflow mark: the caller clears the whole tier instead of deleting keys.
	 * @return whether there were too many keys to remember, or a clear failed
	 */
	boolean takeOverflow() {
		if (!this.overflow) {
			return false;
		}
		this.overflow = false;
		this.keys.clear();
		return true;
	}

	/**
	 * Whether a clear failed, or a key could not be remembered, since the last
	 * {@link #takeOverflow()}.
	 * @return the overflow mark
	 */
	boolean overflowed() {
		return this.overflow;
	}

	/**
	 * Whether some eviction or new value has not reached Redis yet.
	 * @return {@code true} until every such key is settled
	 */
	boolean any() {
		return this.overflow || !this.keys.isEmpty();
	}

	/**
	 * Writes to one key still in flight, and the start of the latest one that finished.
	 */
	private record Writes(int pending, long decidedBy) {

		Writes plusOne() {
			return new Writes(this.pending + 1, this.decidedBy);
		}

	}

}
