package dev.protevus.boot.autoconfigure.cache;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.lang.Nullable;
import org.springframework.util.unit.DataSize;

/**
 * Settings of Protevus's tiered caching. Per-cache settings under {@code caches} inherit
 * every value they leave unset from the defaults here.
 *
 * @since 0.1.0
 */
@ConfigurationProperties(TieredCacheProperties.PREFIX)
public class TieredCacheProperties {

	/**
	 * Prefix of the properties.
	 */
	public static final String PREFIX = "protevus.cache";

	/**
	 * Whether to provide the Protevus tiered CacheManager (with @EnableCaching).
	 */
	private boolean enabled = true;

	/**
	 * Prefix of every key in the redis, memcached and file tiers, keeping applications
	 * that share a Redis or memcached apart. Defaults to the value of
	 * 'spring.application.name' followed by a colon.
	 */
	private String keyPrefix;

	/**
	 * How long entries stay fresh, for caches without a ttl of their own.
	 */
	private Duration defaultTtl = Duration.ofMinutes(10);

	/**
	 * Tiers of caches without tiers of their own: memory, redis, memcached and/or file,
	 * always read in that order. Defaults to memory and redis when a Redis connection is
	 * configured (spring.data.redis.*), otherwise to memory and memcached when memcached
	 * servers are (memcached.servers), otherwise memory only.
	 */
	// Names, not CacheTier: a misspelt tier then fails with Protevus's message, which
	// names the key as written and the tiers in the case the docs use.
	private List<String> tiers;

	/**
	 * Whether null results are cached, for caches without a setting of their own.
	 */
	private boolean cacheNullValues = true;

	/**
	 * How long past its ttl an entry may still be served while one background load
	 * refreshes it, for caches without a window of their own. Applies to '@Cacheable'
	 * methods (plain ones while 'coalesce-loads' is on) and Cache#retrieve(key, loader).
	 * Unset never serves stale entries.
	 */
	private Duration staleWhileRevalidate;

	/**
	 * Whether plain '@Cacheable' methods get what '@Cacheable(sync = true)' gets, for
	 * caches without a setting of their own: concurrent misses of one key run the method
	 * once, 'lock: cluster' and 'stale-while-revalidate' apply, and 'unless' and
	 * 'condition' keep working. Off, plain '@Cacheable' behaves as in Spring.
	 */
	private boolean coalesceLoads = true;

	private final Memory memory = new Memory();

	private final Redis redis = new Redis();

	private final File file = new File();

	private final Memcached memcached = new Memcached();

	private final Serialization serialization = new Serialization();

	/**
	 * Caches with settings of their own, by cache name; they are created at start-up.
	 * Each takes 'ttl', 'tiers', 'cache-null-values', 'stale-while-revalidate', 'lock'
	 * (local or cluster), 'coalesce-loads', 'memory.maximum-size' and 'memory.ttl'.
	 */
	private Map<String, NamedCache> caches = new LinkedHashMap<>();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	@Nullable
	public String getKeyPrefix() {
		return this.keyPrefix;
	}

	public void setKeyPrefix(@Nullable String keyPrefix) {
		this.keyPrefix = keyPrefix;
	}

	public Duration getDefaultTtl() {
		return this.defaultTtl;
	}

	public void setDefaultTtl(Duration defaultTtl) {
		this.defaultTtl = defaultTtl;
	}

	@Nullable
	public List<String> getTiers() {
		return this.tiers;
	}

	public void setTiers(@Nullable List<String> tiers) {
		this.tiers = tiers;
	}

	public boolean isCacheNullValues() {
		return this.cacheNullValues;
	}

	public void setCacheNullValues(boolean cacheNullValues) {
		this.cacheNullValues = cacheNullValues;
	}

	@Nullable
	public Duration getStaleWhileRevalidate() {
		return this.staleWhileRevalidate;
	}

	public void setStaleWhileRevalidate(@Nullable Duration staleWhileRevalidate) {
		this.staleWhileRevalidate = staleWhileRevalidate;
	}

	public boolean isCoalesceLoads() {
		return this.coalesceLoads;
	}

	public void setCoalesceLoads(boolean coalesceLoads) {
		this.coalesceLoads = coalesceLoads;
	}

	public Memory getMemory() {
		return this.memory;
	}

	public Redis getRedis() {
		return this.redis;
	}

	public File getFile() {
		return this.file;
	}

	public Memcached getMemcached() {
		return this.memcached;
	}

	public Serialization getSerialization() {
		return this.serialization;
	}

	public Map<String, NamedCache> getCaches() {
		return this.caches;
	}

	public void setCaches(Map<String, NamedCache> caches) {
		this.caches = caches;
	}

	/**
	 * Default memory tier settings.
	 */
	public static class Memory {

		/**
		 * How many entries each cache's memory tier holds at most.
		 */
		private long maximumSize = 10_000;

		/**
		 * How long entries live in the memory tier, capped at each cache's ttl. A shorter
		 * value bounds how long an instance can serve an entry changed elsewhere while
		 * Redis is unreachable. Unset uses each cache's ttl.
		 */
		private Duration ttl;

		public long getMaximumSize() {
			return this.maximumSize;
		}

		public void setMaximumSize(long maximumSize) {
			this.maximumSize = maximumSize;
		}

		@Nullable
		public Duration getTtl() {
			return this.ttl;
		}

		public void setTtl(@Nullable Duration ttl) {
			this.ttl = ttl;
		}

	}

	/**
	 * Redis tier settings; the connection itself is Spring Boot's (spring.data.redis.*).
	 */
	public static class Redis {

		/**
		 * Bound of each Redis operation, after which the tier counts as a miss (reads) or
		 * is skipped (writes).
		 */
		private Duration timeout = Duration.ofMillis(250);

		/**
		 * How long a cluster lock ('lock: cluster') is held at most, and how long the
		 * other instances wait for the locked value before loading it themselves.
		 */
		private Duration lockTimeout = Duration.ofSeconds(5);

		/**
		 * Largest encoded value written to the Redis tier. Larger values stay in the
		 * memory and file tiers, so that one huge value does not hold up the shared Redis
		 * connection for every other read; this is logged once per cache.
		 */
		private DataSize maxValueSize = DataSize.ofKilobytes(512);

		private final Invalidation invalidation = new Invalidation();

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

		public Duration getLockTimeout() {
			return this.lockTimeout;
		}

		public void setLockTimeout(Duration lockTimeout) {
			this.lockTimeout = lockTimeout;
		}

		public DataSize getMaxValueSize() {
			return this.maxValueSize;
		}

		public void setMaxValueSize(DataSize maxValueSize) {
			this.maxValueSize = maxValueSize;
		}

		public Invalidation getInvalidation() {
			return this.invalidation;
		}

		/**
		 * Cross-instance invalidation of the memory tier.
		 */
		public static class Invalidation {

			/**
			 * Whether a put, evict or clear on one instance removes the entry from the
			 * memory tier of every other instance, over Redis pub/sub. Takes effect when
			 * Redis is in use.
			 */
			private boolean enabled = true;

			/**
			 * Redis pub/sub channel that carries invalidations; every instance must use
			 * the same.
			 */
			private String channel = "protevus:cache:invalidation";

			public boolean isEnabled() {
				return this.enabled;
			}

			public void setEnabled(boolean enabled) {
				this.enabled = enabled;
			}

			public String getChannel() {
				return this.channel;
			}

			public void setChannel(String channel) {
				this.channel = channel;
			}

		}

	}

	/**
	 * File tier settings.
	 */
	public static class File {

		/**
		 * Directory of the file tier, one sub-directory per cache. Created when missing,
		 * private to the application's user (mode 700); refused when it is a symbolic
		 * link, belongs to another user, or group or others can write to it. Defaults to
		 * 'protevus-cache-<user>-<spring.application.name>' in the JVM's temporary
		 * directory (java.io.tmpdir).
		 */
		private Path directory;

		/**
		 * How large the directory may grow before the least recently written entries are
		 * deleted.
		 */
		private DataSize maximumSize = DataSize.ofMegabytes(256);

		@Nullable
		public Path getDirectory() {
			return this.directory;
		}

		public void setDirectory(@Nullable Path directory) {
			this.directory = directory;
		}

		public DataSize getMaximumSize() {
			return this.maximumSize;
		}

		public void setMaximumSize(DataSize maximumSize) {
			this.maximumSize = maximumSize;
		}

	}

	/**
	 * Memcached tier settings; the tier needs com.spotify:folsom on the class path.
	 */
	public static class Memcached {

		/**
		 * Memcached servers as host:port (the port defaults to 11211). Keys are spread
		 * over several servers by consistent hashing. Setting them makes the memcached
		 * tier available.
		 */
		private List<String> servers = new ArrayList<>();

		/**
		 * Bound of each memcached operation, after which the tier counts as a miss
		 * (reads) or is skipped (writes).
		 */
		private Duration timeout = Duration.ofMillis(250);

		public List<String> getServers() {
			return this.servers;
		}

		public void setServers(List<String> servers) {
			this.servers = servers;
		}

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

	}

	/**
	 * How values are written to the redis, memcached and file tiers.
	 */
	public static class Serialization {

		/**
		 * Packages (with their sub-packages) whose classes may be read back from the
		 * redis and file tiers, besides the application's own packages and JDK value
		 * types. A stored value naming any other class is a miss, never instantiated.
		 */
		private List<String> allowedPackages = new ArrayList<>();

		public List<String> getAllowedPackages() {
			return this.allowedPackages;
		}

		public void setAllowedPackages(List<String> allowedPackages) {
			this.allowedPackages = allowedPackages;
		}

	}

	/**
	 * Settings of one cache; unset values come from the defaults.
	 */
	public static class NamedCache {

		/**
		 * How long entries stay fresh.
		 */
		private Duration ttl;

		/**
		 * Tiers of this cache, always read memory, redis, memcached, file.
		 */
		private List<String> tiers;

		/**
		 * Whether null results are cached.
		 */
		private Boolean cacheNullValues;

		/**
		 * How long past its ttl an entry may be served while one background load
		 * refreshes it.
		 */
		private Duration staleWhileRevalidate;

		/**
		 * How misses are loaded: 'local' runs one load per key per instance, 'cluster'
		 * also takes a short Redis lock so that one instance loads while the others wait
		 * for its value.
		 */
		private Lock lock;

		/**
		 * Whether plain '@Cacheable' methods of this cache run once per key on concurrent
		 * misses, with 'lock' and 'stale-while-revalidate' applied, as '@Cacheable(sync =
		 * true)' does.
		 */
		private Boolean coalesceLoads;

		private final NamedCacheMemory memory = new NamedCacheMemory();

		@Nullable
		public Duration getTtl() {
			return this.ttl;
		}

		public void setTtl(@Nullable Duration ttl) {
			this.ttl = ttl;
		}

		@Nullable
		public List<String> getTiers() {
			return this.tiers;
		}

		public void setTiers(@Nullable List<String> tiers) {
			this.tiers = tiers;
		}

		@Nullable
		public Boolean getCacheNullValues() {
			return this.cacheNullValues;
		}

		public void setCacheNullValues(@Nullable Boolean cacheNullValues) {
			this.cacheNullValues = cacheNullValues;
		}

		@Nullable
		public Duration getStaleWhileRevalidate() {
			return this.staleWhileRevalidate;
		}

		public void setStaleWhileRevalidate(@Nullable Duration staleWhileRevalidate) {
			this.staleWhileRevalidate = staleWhileRevalidate;
		}

		@Nullable
		public Lock getLock() {
			return this.lock;
		}

		public void setLock(@Nullable Lock lock) {
			this.lock = lock;
		}

		@Nullable
		public Boolean getCoalesceLoads() {
			return this.coalesceLoads;
		}

		public void setCoalesceLoads(@Nullable Boolean coalesceLoads) {
			this.coalesceLoads = coalesceLoads;
		}

		public NamedCacheMemory getMemory() {
			return this.memory;
		}

	}

	/**
	 * Memory tier settings of one cache.
	 */
	public static class NamedCacheMemory {

		/**
		 * How many entries the memory tier holds at most.
		 */
		private Long maximumSize;

		/**
		 * How long entries live in the memory tier; at most the cache's ttl.
		 */
		private Duration ttl;

		@Nullable
		public Long getMaximumSize() {
			return this.maximumSize;
		}

		public void setMaximumSize(@Nullable Long maximumSize) {
			this.maximumSize = maximumSize;
		}

		@Nullable
		public Duration getTtl() {
			return this.ttl;
		}

		public void setTtl(@Nullable Duration ttl) {
			this.ttl = ttl;
		}

	}

	/**
	 * How a cache loads a missing key.
	 */
	public enum Lock {

		/**
		 * One load per key per instance.
		 */
		LOCAL,

		/**
		 * One load per key in the cluster, coordinated with a short Redis lock.
		 */
		CLUSTER

	}

}
