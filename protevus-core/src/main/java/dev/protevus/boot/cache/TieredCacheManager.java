package dev.protevus.boot.cache;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import reactor.core.Disposable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.cache.CacheManager;
import org.springframework.lang.Nullable;
import org.springframework.util.Assert;

/**
 * A {@link CacheManager} of {@link TieredCache}s. Caches with settings of their own exist
 * from start-up; any other name gets a cache with the default settings on first use.
 *
 * @since 0.1.0
 */
public final class TieredCacheManager implements CacheManager, InitializingBean, DisposableBean {

	private final TieredCacheSettings defaults;

	private final Map<String, TieredCacheSettings> settings;

	private final Clock clock;

	@Nullable
	private final EntryCodec codec;

	@Nullable
	private final RedisTierSupport redis;

	@Nullable
	private final FileTierSupport file;

	@Nullable
	private final MemcachedTierSupport memcached;

	@Nullable
	private final CacheLoadLock loadLock;

	@Nullable
	private final CacheInvalidation invalidation;

	private final ConcurrentMap<String, TieredCache> caches = new ConcurrentHashMap<>();

	private final List<Consumer<TieredCache>> creationListeners = new CopyOnWriteArrayList<>();

	@Nullable
	private Disposable invalidationSubscription;

	private TieredCacheManager(Builder builder) {
		this.defaults = builder.defaults;
		this.settings = Map.copyOf(builder.settings);
		this.clock = builder.clock;
		this.codec = (builder.serializer != null) ? new EntryCodec(builder.serializer) : null;
		this.redis = builder.redis;
		this.file = builder.file;
		this.memcached = builder.memcached;
		this.loadLock = (builder.loadLock != null) ? builder.loadLock
				: (this.redis != null) ? new RedisCacheLoadLock(this.redis) : null;
		this.invalidation = builder.invalidation;
		List<TieredCacheSettings> all = new ArrayList<>(this.settings.values());
		all.add(this.defaults);
		all.forEach(this::checkTiersAvailable);
		this.settings.keySet().forEach(this::getCache);
	}

	/**
	 * Starts building a manager.
	 * @param defaults settings of every cache without settings of its own
	 * @return the builder
	 */
	public static Builder builder(TieredCacheSettings defaults) {
		return new Builder(defaults);
	}

	private void checkTiersAvailable(TieredCacheSettings candidate) {
		Assert.state(!candidate.tiers().contains(CacheTier.REDIS) || this.redis != null,
				"The redis tier needs RedisTierSupport");
		Assert.state(!candidate.tiers().contains(CacheTier.FILE) || this.file != null,
				"The file tier needs FileTierSupport");
		Assert.state(!candidate.tiers().contains(CacheTier.MEMCACHED) || this.memcached != null,
				"The memcached tier needs MemcachedTierSupport");
		Assert.state(candidate.tiers().equals(List.of(CacheTier.MEMORY)) || this.codec != null,
				"Tiers below memory need a CacheValueSerializer");
	}

	@Override
	public TieredCache getCache(String name) {
		TieredCache cache = this.caches.get(name);
		if (cache != null) {
			return cache;
		}
		TieredCache created = create(name, this.settings.getOrDefault(name, this.defaults));
		TieredCache existing = this.caches.putIfAbsent(name, created);
		if (existing != null) {
			return existing;
		}
		this.creationListeners.forEach((listener) -> listener.accept(created));
		return created;
	}

	private TieredCache create(String name, TieredCacheSettings cacheSettings) {
		List<TierStore> stores = new ArrayList<>();
		for (CacheTier tier : cacheSettings.tiers()) {
			stores.add(switch (tier) {
				case MEMORY -> new MemoryTierStore(cacheSettings, this.clock);
				case REDIS -> this.redis.createStore(name, cacheSettings, this.codec, this.clock);
				case FILE -> this.file.createStore(name, cacheSettings, this.codec, this.clock);
				case MEMCACHED -> this.memcached.createStore(name, cacheSettings, this.codec, this.clock);
			});
		}
		return new TieredCache(name, cacheSettings, stores, this.clock, this.loadLock, this.invalidation);
	}

	@Override
	public Collection<String> getCacheNames() {
		return Collections.unmodifiableSet(Set.copyOf(this.caches.keySet()));
	}

	/**
	 * The caches created so far, by name.
	 * @return the caches
	 */
	public Map<String, TieredCache> getCaches() {
		return Collections.unmodifiableMap(new LinkedHashMap<>(this.caches));
	}

	/**
	 * Calls a listener for every cache, now for those that exist and later for each one
	 * created.
	 * @param listener the listener
	 */
	public void onCacheCreated(Consumer<TieredCache> listener) {
		this.creationListeners.add(listener);
		this.caches.values().forEach(listener);
	}

	/**
	 * The support shared by the Redis tiers, if any cache can use Redis.
	 * @return the support, or {@code null}
	 */
	@Nullable
	public RedisTierSupport getRedisTierSupport() {
		return this.redis;
	}

	/**
	 * The support shared by the memcached tiers, if any cache can use memcached.
	 * @return the support, or {@code null}
	 */
	@Nullable
	public MemcachedTierSupport getMemcachedTierSupport() {
		return this.memcached;
	}

	/**
	 * Subscribes to changes announced by other instances; when the channel says changes
	 * may have been missed, drops the memory tier of every cache with a Redis tier.
	 */
	@Override
	public void afterPropertiesSet() {
		if (this.invalidation != null && this.invalidationSubscription == null) {
			this.invalidationSubscription = this.invalidation.subscribe(new CacheInvalidation.Listener() {

				@Override
				public void invalidate(String cacheName, @Nullable String key) {
					TieredCache cache = TieredCacheManager.this.caches.get(cacheName);
					if (cache != null) {
						cache.invalidateLocally(key);
					}
				}

				@Override
				public void missedChanges() {
					// Their entries may have changed elsewhere unannounced: read them
					// again from Redis, once the changes this instance could not write
					// there meanwhile are settled.
					TieredCacheManager.this.caches.values()
						.stream()
						.filter((cache) -> cache.getSettings().tiers().contains(CacheTier.REDIS))
						.forEach((cache) -> cache.reconnected().subscribe());
				}

			});
		}
	}

	@Override
	public void destroy() {
		if (this.invalidationSubscription != null) {
			this.invalidationSubscription.dispose();
		}
		if (this.file != null) {
			this.file.destroy();
		}
	}

	/**
	 * Builds a {@link TieredCacheManager}; also what
	 * {@code TieredCacheManagerCustomizer}s adjust.
	 */
	public static final class Builder {

		private TieredCacheSettings defaults;

		private final Map<String, TieredCacheSettings> settings = new LinkedHashMap<>();

		private Clock clock = Clock.systemUTC();

		@Nullable
		private CacheValueSerializer serializer;

		@Nullable
		private RedisTierSupport redis;

		@Nullable
		private FileTierSupport file;

		@Nullable
		private MemcachedTierSupport memcached;

		@Nullable
		private CacheLoadLock loadLock;

		@Nullable
		private CacheInvalidation invalidation;

		private Builder(TieredCacheSettings defaults) {
			defaults(defaults);
		}

		/**
		 * Sets the settings of caches without settings of their own.
		 * @param defaults the settings
		 * @return this builder
		 */
		public Builder defaults(TieredCacheSettings defaults) {
			Assert.notNull(defaults, "defaults must not be null");
			this.defaults = defaults;
			return this;
		}

		/**
		 * Gives one cache settings of its own; it is created with the manager.
		 * @param name the cache name
		 * @param settings its settings
		 * @return this builder
		 */
		public Builder cache(String name, TieredCacheSettings settings) {
			Assert.hasText(name, "name must not be empty");
			Assert.notNull(settings, "settings must not be null");
			this.settings.put(name, settings);
			return this;
		}

		/**
		 * The settings given so far, by cache name, for customizers to inspect and
		 * replace.
		 * @return the live map of per-cache settings
		 */
		public Map<String, TieredCacheSettings> caches() {
			return this.settings;
		}

		/**
		 * The defaults given so far.
		 * @return the default settings
		 */
		public TieredCacheSettings defaults() {
			return this.defaults;
		}

		/**
		 * Sets the clock that decides expiry, for example a fixed clock in tests.
		 * @param clock the clock
		 * @return this builder
		 */
		public Builder clock(Clock clock) {
			Assert.notNull(clock, "clock must not be null");
			this.clock = clock;
			return this;
		}

		/**
		 * Sets how values are written to the redis and file tiers.
		 * @param serializer the serializer
		 * @return this builder
		 */
		public Builder serializer(CacheValueSerializer serializer) {
			this.serializer = serializer;
			return this;
		}

		/**
		 * Enables the redis tier.
		 * @param redis the shared support of Redis tiers
		 * @return this builder
		 */
		public Builder redis(RedisTierSupport redis) {
			this.redis = redis;
			return this;
		}

		/**
		 * Enables the file tier; the manager shuts it down when it is destroyed.
		 * @param file the shared support of file tiers
		 * @return this builder
		 */
		public Builder file(FileTierSupport file) {
			this.file = file;
			return this;
		}

		/**
		 * Enables the memcached tier. The manager does not shut it down: its owner (the
		 * application context, for the auto-configured one) does.
		 * @param memcached the shared support of memcached tiers
		 * @return this builder
		 */
		public Builder memcached(MemcachedTierSupport memcached) {
			this.memcached = memcached;
			return this;
		}

		/**
		 * Sets the lock that lets one instance load a key of a cache with a cluster lock
		 * ({@link TieredCacheSettings#clusterLock()}). Defaults to a
		 * {@link RedisCacheLoadLock} when the redis tier is enabled; without either, such
		 * caches load per instance.
		 * @param loadLock the lock shared by every instance
		 * @return this builder
		 */
		public Builder loadLock(CacheLoadLock loadLock) {
			this.loadLock = loadLock;
			return this;
		}

		/**
		 * Announces changes to, and receives them from, the other instances.
		 * @param invalidation the channel between instances
		 * @return this builder
		 */
		public Builder invalidation(CacheInvalidation invalidation) {
			this.invalidation = invalidation;
			return this;
		}

		public TieredCacheManager build() {
			return new TieredCacheManager(this);
		}

	}

}
