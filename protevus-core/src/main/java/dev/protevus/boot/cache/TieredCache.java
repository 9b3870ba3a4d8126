package dev.protevus.boot.cache;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.cache.support.AbstractValueAdaptingCache;
import org.springframework.cache.support.NullValue;
import org.springframework.lang.Nullable;
import org.springframework.util.ReflectionUtils;

/**
 * A Spring {@link org.springframework.cache.Cache} over several tiers, read fastest
 * first: a hit in a lower tier back-fills the upper ones with the entry's remaining ttl,
 * and writes go through every tier. Built for reactive callers: {@link #retrieve(Object)}
 * and {@link #retrieve(Object, Supplier)} never block, concurrent misses of one key share
 * one load, and a failing Redis or disk tier turns into a miss instead of an error.
 * <p>
 * The blocking methods ({@link #get(Object)}, {@link #get(Object, Callable)}) consult
 * only the memory tier when called on a non-blocking thread, such as a Netty event loop,
 * so that they cannot stall it. {@link #put}, {@link #evict} and {@link #clear} update
 * the memory tier at once and the lower tiers asynchronously, as Spring's contract
 * allows.
 *
 * @since 0.1.0
 */
public final class TieredCache extends AbstractValueAdaptingCache {

	private static final Duration BLOCKING_BOUND = Duration.ofSeconds(30);

	/**
	 * How often, and how far apart, a reconnected instance tries again to delete the keys
	 * whose changes did not reach Redis.
	 */
	private static final int SETTLE_ATTEMPTS = 30;

	private static final Duration SETTLE_INTERVAL = Duration.ofMillis(500);

	private static final Predicate<Object> ALWAYS = (value) -> true;

	private static final ClassValue<Boolean> HAS_OWN_TO_STRING = new ClassValue<>() {

		@Override
		protected Boolean computeValue(Class<?> type) {
			return ReflectionUtils.findMethod(type, "toString").getDeclaringClass() != Object.class;
		}

	};

	private final String name;

	private final TieredCacheSettings settings;

	private final List<TierStore> tiers;

	@Nullable
	private final MemoryTierStore memory;

	private final List<TierStore> lower;

	private final Clock clock;

	private final long ttlMillis;

	private final long staleMillis;

	@Nullable
	private final CacheLoadLock loadLock;

	@Nullable
	private final CacheInvalidation invalidation;

	private final ConcurrentMap<String, CompletableFuture<CacheEntry>> loading = new ConcurrentHashMap<>();

	private final LongAdder puts = new LongAdder();

	private final LongAdder evictions = new LongAdder();

	private final LongAdder loads = new LongAdder();

	private final LongAdder loadFailures = new LongAdder();

	private final LongAdder loadNanos = new LongAdder();

	TieredCache(String name, TieredCacheSettings settings, List<TierStore> tiers, Clock clock,
			@Nullable CacheLoadLock loadLock, @Nullable CacheInvalidation invalidation) {
		super(settings.cacheNullValues());
		this.name = name;
		this.settings = settings;
		this.tiers = List.copyOf(tiers);
		this.memory = (tiers.get(0) instanceof MemoryTierStore store) ? store : null;
		this.lower = this.tiers.subList((this.memory != null) ? 1 : 0, this.tiers.size());
		this.clock = clock;
		this.ttlMillis = settings.ttl().toMillis();
		this.staleMillis = settings.staleWhileRevalidate().toMillis();
		this.loadLock = loadLock;
		this.invalidation = (this.memory != null) ? invalidation : null;
	}

	@Override
	public String getName() {
		return this.name;
	}

	@Override
	public Object getNativeCache() {
		return this;
	}

	/**
	 * How this cache stores its entries.
	 * @return the settings
	 */
	public TieredCacheSettings getSettings() {
		return this.settings;
	}

	// Reads

	@Override
	@Nullable
	public ValueWrapper get(Object key) {
		return find(toKey(key));
	}

	@Override
	@Nullable
	protected Object lookup(Object key) {
		CacheEntry entry = find(toKey(key));
		return (entry != null) ? entry.storeValue() : null;
	}

	@Nullable
	private CacheEntry find(String key) {
		CacheEntry entry = freshInMemory(key);
		if (entry != null || !mayBlock()) {
			return entry;
		}
		return findBelowMemory(key).filter(this::isFresh).block(BLOCKING_BOUND);
	}

	@Override
	@Nullable
	public CompletableFuture<?> retrieve(Object key) {
		String cacheKey = toKey(key);
		CacheEntry entry = freshInMemory(cacheKey);
		if (entry != null) {
			return CompletableFuture.completedFuture(entry);
		}
		if (this.lower.isEmpty()) {
			return null;
		}
		return findBelowMemory(cacheKey).<Object>handle((found, sink) -> {
			if (isFresh(found)) {
				sink.next(found);
			}
		}).toFuture();
	}

	@Override
	public <T> CompletableFuture<T> retrieve(Object key, Supplier<CompletableFuture<T>> valueLoader) {
		return retrieve(key, valueLoader, ALWAYS);
	}

	/**
	 * Like {@link #retrieve(Object, Supplier)}, but stores a loaded value only when
	 * {@code storeIf} accepts it: every caller that shared the load gets its value either
	 * way. This is how a plain {@code @Cacheable} method with {@code unless} becomes the
	 * cache's loader.
	 * @param <T> the type of the value
	 * @param key the key
	 * @param valueLoader starts the load on a miss (or the refresh of a stale entry)
	 * @param storeIf whether a loaded value, possibly {@code null}, is stored
	 * @return the cached or loaded value
	 * @since 0.1.0
	 */
	@SuppressWarnings("unchecked")
	public <T> CompletableFuture<T> retrieve(Object key, Supplier<CompletableFuture<T>> valueLoader,
			Predicate<? super T> storeIf) {
		String cacheKey = toKey(key);
		Predicate<Object> store = (Predicate<Object>) storeIf;
		CacheEntry entry = usableInMemory(cacheKey, valueLoader, store);
		if (entry != null) {
			return CompletableFuture.completedFuture((T) entry.get());
		}
		CompletableFuture<CacheEntry> load = singleFlight(cacheKey, () -> prepare(cacheKey)
			.flatMap((prepared) -> (prepared.entry() != null) ? Mono.just(prepared.entry())
					: loadAndStore(cacheKey, valueLoader, store, prepared::release))
			.toFuture());
		// Served once the flight has ended, so that a stale entry's refresh can start.
		return load.thenApply((loaded) -> (T) serve(cacheKey, loaded, valueLoader, store).get());
	}

	/**
	 * Runs a load unless one for the same key is running already, in which case its
	 * result is shared: concurrent misses of one key cost one load.
	 */
	private CompletableFuture<CacheEntry> singleFlight(String key, Supplier<CompletableFuture<CacheEntry>> load) {
		CompletableFuture<CacheEntry> mine = new CompletableFuture<>();
		CompletableFuture<CacheEntry> theirs = this.loading.putIfAbsent(key, mine);
		if (theirs != null) {
			return theirs;
		}
		try {
			load.get().whenComplete((entry, ex) -> {
				this.loading.remove(key, mine);
				if (ex != null) {
					mine.completeExceptionally((ex instanceof CompletionException) ? ex.getCause() : ex);
				}
				else {
					mine.complete(entry);
				}
			});
		}
		catch (RuntimeException ex) {
			this.loading.remove(key, mine);
			mine.completeExceptionally(ex);
		}
		return mine;
	}

	@Override
	@Nullable
	public <T> T get(Object key, Callable<T> valueLoader) {
		return get(key, valueLoader, ALWAYS, true);
	}

	/**
	 * Like {@link #get(Object, Callable)}, but stores a loaded value only when
	 * {@code storeIf} accepts it, and never waits on a non-blocking thread: there, when
	 * another caller is loading the key already, this caller runs its own loader. Every
	 * caller that waited for a load gets its value, stored or not.
	 * @param <T> the type of the value
	 * @param key the key
	 * @param valueLoader loads the value on a miss in the caller's thread (or refreshes a
	 * stale entry on Reactor's bounded-elastic scheduler)
	 * @param storeIf whether a loaded value, possibly {@code null}, is stored
	 * @return the cached or loaded value
	 * @since 0.1.0
	 */
	@Nullable
	@SuppressWarnings("unchecked")
	public <T> T get(Object key, Callable<T> valueLoader, Predicate<? super T> storeIf) {
		return get(key, valueLoader, (Predicate<Object>) storeIf, false);
	}

	@Nullable
	@SuppressWarnings("unchecked")
	private <T> T get(Object key, Callable<T> valueLoader, Predicate<Object> storeIf, boolean waitOnAnyThread) {
		String cacheKey = toKey(key);
		CacheEntry entry = usableInMemory(cacheKey, () -> callOffLoop(valueLoader), storeIf);
		if (entry != null) {
			return (T) entry.get();
		}
		CompletableFuture<CacheEntry> mine = new CompletableFuture<>();
		CompletableFuture<CacheEntry> theirs = this.loading.putIfAbsent(cacheKey, mine);
		if (theirs != null) {
			if (!waitOnAnyThread && !mayBlock() && !theirs.isDone()) {
				return loadWithoutWaiting(key, cacheKey, valueLoader, storeIf);
			}
			try {
				return (T) theirs.join().get();
			}
			catch (CompletionException ex) {
				throw new ValueRetrievalException(key, valueLoader, ex.getCause());
			}
		}
		CacheEntry loaded;
		try {
			Prepared prepared = (mayBlock() && (!this.lower.isEmpty() || this.settings.clusterLock()))
					? prepare(cacheKey).block(BLOCKING_BOUND) : Prepared.LOAD;
			loaded = (prepared.entry() != null) ? prepared.entry()
					: loadInThisThread(cacheKey, valueLoader, prepared, storeIf);
			mine.complete(loaded);
		}
		catch (Throwable ex) {
			mine.completeExceptionally(ex);
			throw (ex instanceof ValueRetrievalException retrieval) ? retrieval
					: new ValueRetrievalException(key, valueLoader, ex);
		}
		finally {
			this.loading.remove(cacheKey, mine);
		}
		// Served once the flight has ended, so that a stale entry's refresh can start.
		return (T) serve(cacheKey, loaded, () -> callOffLoop(valueLoader), storeIf).get();
	}

	/**
	 * Runs a loader on a non-blocking thread that must not wait for another caller's load
	 * of the same key.
	 */
	@Nullable
	@SuppressWarnings("unchecked")
	private <T> T loadWithoutWaiting(Object key, String cacheKey, Callable<T> valueLoader, Predicate<Object> storeIf) {
		try {
			return (T) loadInThisThread(cacheKey, valueLoader, Prepared.LOAD, storeIf).get();
		}
		catch (Exception ex) {
			throw (ex instanceof ValueRetrievalException retrieval) ? retrieval
					: new ValueRetrievalException(key, valueLoader, ex);
		}
	}

	private CacheEntry loadInThisThread(String key, Callable<?> valueLoader, Prepared prepared,
			Predicate<Object> storeIf) throws Exception {
		long start = System.nanoTime();
		Object value;
		try {
			value = valueLoader.call();
		}
		catch (Exception ex) {
			this.loadFailures.increment();
			prepared.release();
			throw ex;
		}
		finally {
			recordLoad(start);
		}
		return store(key, value, storeIf, prepared::release);
	}

	/**
	 * A fresh memory entry, or one within the stale window, whose refresh this starts.
	 */
	@Nullable
	private CacheEntry usableInMemory(String key, Supplier<? extends CompletableFuture<?>> valueLoader,
			Predicate<Object> storeIf) {
		if (this.memory == null) {
			return null;
		}
		CacheEntry entry = this.memory.read(key);
		if (entry == null || entry.isFreshWhilePresent() || isFresh(entry)) {
			return entry;
		}
		return serve(key, entry, valueLoader, storeIf);
	}

	@Nullable
	private CacheEntry freshInMemory(String key) {
		if (this.memory == null) {
			return null;
		}
		CacheEntry entry = this.memory.read(key);
		return (entry != null && (entry.isFreshWhilePresent() || isFresh(entry))) ? entry : null;
	}

	/**
	 * Serves an entry found in some tier, refreshing it in the background when it is
	 * stale.
	 */
	private CacheEntry serve(String key, CacheEntry entry, Supplier<? extends CompletableFuture<?>> valueLoader,
			Predicate<Object> storeIf) {
		if (!isFresh(entry)) {
			refreshInBackground(key, valueLoader, storeIf);
		}
		return entry;
	}

	private void refreshInBackground(String key, Supplier<? extends CompletableFuture<?>> valueLoader,
			Predicate<Object> storeIf) {
		CompletableFuture<CacheEntry> mine = new CompletableFuture<>();
		if (this.loading.putIfAbsent(key, mine) == null) {
			loadAndStore(key, valueLoader, storeIf, Prepared.LOAD::release)
				.doFinally((signal) -> this.loading.remove(key, mine))
				.subscribe(mine::complete, mine::completeExceptionally);
		}
	}

	/**
	 * Looks below the memory tier and, on a miss, takes the cluster lock when configured.
	 */
	private Mono<Prepared> prepare(String key) {
		return findBelowMemory(key).map(Prepared::found).switchIfEmpty(Mono.defer(() -> lockOrLoad(key)));
	}

	private Mono<Prepared> lockOrLoad(String key) {
		CacheLoadLock lock = this.loadLock;
		if (!this.settings.clusterLock() || lock == null) {
			return Mono.just(Prepared.LOAD);
		}
		return lock.tryLock(this.name, key)
			.flatMap((token) -> foundAfterLocking(key, () -> lock.unlock(this.name, key, token).subscribe()))
			.switchIfEmpty(Mono.defer(() -> awaitOtherLoader(lock, key)))
			.onErrorReturn(Prepared.LOAD);
	}

	/**
	 * Looks below memory once more with the lock held: another instance may have stored
	 * the value and released its lock between this instance's first look and its lock.
	 */
	private Mono<Prepared> foundAfterLocking(String key, Runnable releaser) {
		return findBelowMemory(key).map((entry) -> {
			releaser.run();
			return Prepared.found(entry);
		}).defaultIfEmpty(new Prepared(null, releaser));
	}

	/**
	 * Another instance holds the lock: polls the tiers below memory for its value and
	 * tries the lock again, so that when the holder dies one waiting instance takes over
	 * as soon as the lock's lease ends. Loads without the lock if neither happens within
	 * twice the lease (the lock keeps being taken by others that fail) or the lock fails.
	 */
	private Mono<Prepared> awaitOtherLoader(CacheLoadLock lock, String key) {
		Duration poll = Duration.ofMillis(25);
		long deadline = System.nanoTime() + lock.timeout().multipliedBy(2).toNanos();
		return Mono
			.defer(() -> findBelowMemory(key).map(Prepared::found)
				.switchIfEmpty(Mono.defer(() -> lock.tryLock(this.name, key)
					.flatMap((token) -> foundAfterLocking(key, () -> lock.unlock(this.name, key, token).subscribe())))))
			.repeatWhenEmpty(
					(attempts) -> attempts.takeWhile((attempt) -> System.nanoTime() - deadline < 0).delayElements(poll))
			.switchIfEmpty(Mono.just(Prepared.LOAD))
			.onErrorReturn(Prepared.LOAD);
	}

	/**
	 * Reads the tiers below memory in order; the first usable entry back-fills the tiers
	 * above it.
	 */
	private Mono<CacheEntry> findBelowMemory(String key) {
		return findFrom(key, 0);
	}

	private Mono<CacheEntry> findFrom(String key, int index) {
		if (index == this.lower.size()) {
			return Mono.empty();
		}
		Mono<CacheEntry> found = this.lower.get(index).get(key).handle((entry, sink) -> {
			if (entry.isUsable(this.clock.millis(), this.staleMillis)) {
				backfill(key, entry, index);
				sink.next(entry);
			}
		});
		return (index + 1 < this.lower.size()) ? found.switchIfEmpty(Mono.defer(() -> findFrom(key, index + 1)))
				: found;
	}

	private void backfill(String key, CacheEntry entry, int foundAt) {
		if (this.memory != null) {
			this.memory.write(key, entry);
		}
		for (int i = 0; i < foundAt; i++) {
			this.lower.get(i).put(key, entry).subscribe();
		}
	}

	/**
	 * Loads and stores a value; {@code release} ends the cluster lock taken for the load
	 * once the value is written, or at once when nothing is stored.
	 */
	private Mono<CacheEntry> loadAndStore(String key, Supplier<? extends CompletableFuture<?>> valueLoader,
			Predicate<Object> storeIf, Runnable release) {
		return Mono.defer(() -> {
			long start = System.nanoTime();
			AtomicBoolean handedOver = new AtomicBoolean();
			Function<Object, CacheEntry> stored = (value) -> {
				handedOver.set(true);
				return store(key, value, storeIf, release);
			};
			return Mono.fromFuture(valueLoader.get())
				.map(stored)
				.switchIfEmpty(Mono.fromSupplier(() -> stored.apply(null)))
				.doOnError((ex) -> this.loadFailures.increment())
				.doOnTerminate(() -> recordLoad(start))
				.doFinally((signal) -> {
					if (!handedOver.get()) {
						release.run();
					}
				});
		});
	}

	private void recordLoad(long startNanos) {
		this.loads.increment();
		this.loadNanos.add(System.nanoTime() - startNanos);
	}

	/**
	 * Stores a loaded value in every tier when the loader's caller accepts it; a
	 * {@code null} is stored only when null values are cached. Callers do not wait for
	 * the lower tiers, but the cluster lock is released only once they have the value: on
	 * a Redis Cluster the lock and the entry live on different nodes, and a lock released
	 * before the entry lands would let a waiting instance load again.
	 */
	private CacheEntry store(String key, @Nullable Object value, Predicate<Object> storeIf, Runnable release) {
		CacheEntry entry = newEntry((value != null) ? value : NullValue.INSTANCE);
		if ((value != null || isAllowNullValues()) && storeIf.test(value)) {
			this.puts.increment();
			writeThrough(key, entry).doFinally((signal) -> release.run()).subscribe();
		}
		else {
			release.run();
		}
		return entry;
	}

	// Writes

	@Override
	public void put(Object key, @Nullable Object value) {
		String cacheKey = toKey(key);
		this.puts.increment();
		writeThrough(cacheKey, newEntry(toStoreValue(value))).subscribe();
		announce(cacheKey);
	}

	/**
	 * Puts a value into every tier, completing once each lower tier has stored it or been
	 * skipped; {@link #put} does the same without waiting.
	 * @param key the key
	 * @param value the value, {@code null} only when null values are cached
	 * @return completion
	 */
	public Mono<Void> store(Object key, @Nullable Object value) {
		return Mono.defer(() -> {
			String cacheKey = toKey(key);
			this.puts.increment();
			return writeThrough(cacheKey, newEntry(toStoreValue(value))).doOnSuccess((done) -> announce(cacheKey));
		});
	}

	@Override
	public void evict(Object key) {
		evictIfPresent(key);
	}

	@Override
	public boolean evictIfPresent(Object key) {
		String cacheKey = toKey(key);
		this.evictions.increment();
		boolean present = this.memory != null && this.memory.remove(cacheKey);
		this.lower.forEach((tier) -> tier.evict(cacheKey).subscribe());
		announce(cacheKey);
		return present;
	}

	@Override
	public void clear() {
		if (this.memory != null) {
			this.memory.removeAll();
		}
		Flux.fromIterable(this.lower).flatMap(TierStore::clear).subscribe();
		announce(null);
	}

	@Override
	public boolean invalidate() {
		boolean present = this.memory != null && this.memory.removeAll();
		Mono<Void> lowerCleared = Flux.fromIterable(this.lower).flatMap(TierStore::clear).then();
		if (mayBlock()) {
			lowerCleared.block(BLOCKING_BOUND);
		}
		else {
			lowerCleared.subscribe();
		}
		announce(null);
		return present;
	}

	/**
	 * Clears every tier and returns once they are clear; other instances drop their
	 * memory tier.
	 * @return completion
	 */
	public Mono<Void> clearAll() {
		return Mono.defer(() -> {
			if (this.memory != null) {
				this.memory.removeAll();
			}
			announce(null);
			return Flux.fromIterable(this.lower).flatMap(TierStore::clear).then();
		});
	}

	/**
	 * Writes the memory tier at once and returns the writes of the lower tiers.
	 */
	private Mono<Void> writeThrough(String key, CacheEntry entry) {
		if (this.memory != null) {
			this.memory.write(key, entry);
		}
		if (this.lower.isEmpty()) {
			return Mono.empty();
		}
		return Flux.fromIterable(this.lower).flatMap((tier) -> tier.put(key, entry)).then();
	}

	private void announce(@Nullable String key) {
		if (this.invalidation != null) {
			this.invalidation.publish(this.name, key);
		}
	}

	/**
	 * Once Redis answers again after this instance was cut off from it: drops the memory
	 * tier, whose entries may have changed elsewhere unannounced, and deletes from Redis
	 * the keys whose eviction or new value did not reach it meanwhile, telling the other
	 * instances to drop them too. The deletion is tried again every half second, for up
	 * to 15 s, while some key still fails (a connection may come back later than
	 * another); once something was deleted the memory tier is dropped once more, as it
	 * may have read the old values again in between.
	 * @return completion
	 */
	Mono<Void> reconnected() {
		invalidateLocally(null);
		return Flux.fromIterable(this.lower)
			.filter(RedisTierStore.class::isInstance)
			.cast(RedisTierStore.class)
			.flatMap((tier) -> {
				AtomicBoolean deletedAny = new AtomicBoolean();
				return Mono.defer(() -> tier.settle(this::announce))
					.doOnNext((deleted) -> deletedAny.compareAndSet(false, deleted))
					.filter((deleted) -> !tier.hasUnsettled())
					.repeatWhenEmpty(SETTLE_ATTEMPTS, (attempts) -> attempts.delayElements(SETTLE_INTERVAL))
					.onErrorComplete()
					.then(Mono.fromCallable(deletedAny::get));
			})
			.filter(Boolean::booleanValue)
			.hasElements()
			.doOnNext((deleted) -> {
				if (deleted) {
					invalidateLocally(null);
				}
			})
			.then();
	}

	/**
	 * Drops an entry, or every entry, from the memory tier only: another instance changed
	 * it.
	 */
	void invalidateLocally(@Nullable String key) {
		if (this.memory != null) {
			if (key != null) {
				this.memory.remove(key);
			}
			else {
				this.memory.removeAll();
			}
		}
	}

	// Statistics

	/**
	 * Counts of every tier, in read order, with each tier's current size.
	 * @return the statistics, sizes left {@code null} where they cannot be told quickly
	 */
	public Mono<List<TierStatistics>> statistics() {
		return Flux.fromIterable(this.tiers)
			.concatMap((tier) -> tier.size()
				.timeout(Duration.ofSeconds(5), Mono.empty())
				.map((size) -> tier.counters().snapshot(tier.tier(), size))
				.defaultIfEmpty(tier.counters().snapshot(tier.tier(), null)))
			.collectList();
	}

	/**
	 * Counts of one tier, without its size.
	 * @param tier the tier
	 * @return the counts, or {@code null} when this cache does not use that tier
	 */
	@Nullable
	public TierStatistics statistics(CacheTier tier) {
		return this.tiers.stream()
			.filter((store) -> store.tier() == tier)
			.findFirst()
			.map((store) -> store.counters().snapshot(tier, null))
			.orElse(null);
	}

	/**
	 * The store of one tier, for tests.
	 */
	@Nullable
	TierStore store(CacheTier tier) {
		return this.tiers.stream().filter((store) -> store.tier() == tier).findFirst().orElse(null);
	}

	/**
	 * Counts of the cache as a whole, as Spring Boot's {@code cache.*} meters show them.
	 * A read counts once: as a hit when some tier found the entry, otherwise as a miss.
	 * Puts count the values written, put or loaded, not the copies that a hit in a lower
	 * tier writes into the tiers above it; evictions count the keys evicted on request.
	 * @return the counts
	 */
	public CacheStatistics cacheStatistics() {
		long hits = 0;
		for (TierStore tier : this.tiers) {
			hits += tier.counters().hits.sum();
		}
		TierCounters first = this.tiers.get(0).counters();
		long reads = first.hits.sum() + first.misses.sum();
		return new CacheStatistics(Math.min(hits, reads), Math.max(0, reads - hits), this.puts.sum(),
				this.evictions.sum(), (this.memory != null) ? this.memory.estimatedSize() : null);
	}

	/**
	 * Loads run by this cache: count, failures and total time.
	 * @return the load statistics
	 */
	public LoadStatistics loadStatistics() {
		return new LoadStatistics(this.loads.sum(), this.loadFailures.sum(), Duration.ofNanos(this.loadNanos.sum()));
	}

	// Helpers

	private CacheEntry newEntry(Object storeValue) {
		return new CacheEntry(storeValue, this.clock.millis() + this.ttlMillis);
	}

	private boolean isFresh(CacheEntry entry) {
		return entry.isFresh(this.clock.millis());
	}

	private <T> CompletableFuture<T> callOffLoop(Callable<T> valueLoader) {
		Executor boundedElastic = (task) -> Schedulers.boundedElastic().schedule(task);
		return CompletableFuture.supplyAsync(() -> {
			try {
				return valueLoader.call();
			}
			catch (Exception ex) {
				throw new CompletionException(ex);
			}
		}, boundedElastic);
	}

	/**
	 * Whether lower tiers may be waited for: never on a non-blocking thread such as an
	 * event loop.
	 */
	private static boolean mayBlock() {
		return !Schedulers.isInNonBlockingThread();
	}

	private static String toKey(Object key) {
		if (key instanceof String string) {
			return string;
		}
		if (!HAS_OWN_TO_STRING.get(key.getClass())) {
			throw new IllegalStateException("Cannot use a " + key.getClass().getName()
					+ " as a cache key: it has no toString() of its own. Override toString() or choose a key with SpEL.");
		}
		return key.toString();
	}

	/**
	 * What looking below memory found: an entry to serve, or the go-ahead to load (with
	 * the cluster lock to release afterwards, if one was taken).
	 */
	private record Prepared(@Nullable CacheEntry entry, Runnable releaser) {

		static final Prepared LOAD = new Prepared(null, () -> {
		});

		static Prepared found(CacheEntry entry) {
			return new Prepared(entry, LOAD.releaser);
		}

		void release() {
			this.releaser.run();
		}

	}

	/**
	 * Counts of a cache as a whole.
	 *
	 * @param hits reads that some tier answered
	 * @param misses reads that no tier answered
	 * @param puts values written, put or loaded
	 * @param evictions keys evicted on request
	 * @param memorySize entries in the memory tier, {@code null} without one
	 */
	public record CacheStatistics(long hits, long misses, long puts, long evictions, @Nullable Long memorySize) {
	}

	/**
	 * Loads run by a cache.
	 *
	 * @param count loads run, including failed ones
	 * @param failures loads that failed
	 * @param totalTime time spent loading
	 */
	public record LoadStatistics(long count, long failures, Duration totalTime) {
	}

}
