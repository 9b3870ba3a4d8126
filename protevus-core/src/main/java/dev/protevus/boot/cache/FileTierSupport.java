package dev.protevus.boot.cache;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import dev.protevus.boot.task.BackgroundScheduler;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.util.Assert;

/**
 * What every file tier shares: the directory, its size bound, the bounded thread pool
 * that does the disk work off the event loop, and the cleaner that deletes expired
 * entries and, when the directory grows past its bound, the least recently written ones.
 * The cleaner runs on the shared {@link BackgroundScheduler}, once a minute and whenever
 * the directory outgrows its bound.
 *
 * @since 0.1.0
 */
public final class FileTierSupport implements DisposableBean {

	static final String ENTRY_SUFFIX = ".entry";

	private static final Log logger = LogFactory.getLog(FileTierSupport.class);

	private static final String CLEANER = "protevus-cache-file-cleaner";

	private static final Duration CLEAN_INTERVAL = Duration.ofMinutes(1);

	private static final Duration ABANDONED_TEMP_FILE_AGE = Duration.ofMinutes(1);

	private static final Duration START_TEMP_FILE_AGE = Duration.ofSeconds(5);

	private final Path directory;

	private final PrivateDirectory privateDirectory;

	/**
	 * Whether something in the directory that is not the application's own was logged.
	 */
	private final AtomicBoolean foreignLogged = new AtomicBoolean();

	private final long maximumBytes;

	private final String keyPrefix;

	private final Clock clock;

	/**
	 * Request-path disk reads and writes, which callers wait for, so not background work.
	 */
	private final Scheduler io;

	private final BackgroundScheduler background;

	private final Disposable periodicClean;

	/**
	 * Passes asked for and not yet run; only the thread that raises it from zero cleans,
	 * so passes never overlap on the background scheduler's several threads.
	 */
	private final AtomicInteger pendingPasses = new AtomicInteger();

	private final AtomicLong totalBytes = new AtomicLong();

	/**
	 * Growth reported while a pass walks the directory: the walk may have missed those
	 * files, so the pass adds it to what it measured rather than lose it. Counting a file
	 * twice only costs an extra pass; missing it would let the directory outgrow its
	 * bound.
	 */
	private final AtomicLong grownDuringPass = new AtomicLong();

	private final AtomicBoolean cleanRequested = new AtomicBoolean();

	private final Map<String, Long> staleMillisByDirectory = new ConcurrentHashMap<>();

	/**
	 * Creates the support, creating the directory private to the application (mode 700
	 * where the file system has POSIX permissions) and checking that it can be written.
	 * An existing directory is refused when it is a symbolic link, belongs to another
	 * user or group or others may write to it. Temporary files a crashed writer left
	 * behind are removed.
	 * @param directory where entries live, one sub-directory per cache
	 * @param maximumBytes how large the directory may grow before the oldest entries go
	 * @param keyPrefix the prefix shared with the Redis tier, part of every hashed name
	 * @param clock the clock by which the cleaner decides expiry
	 * @param background the scheduler the cleaner runs on
	 * @throws UncheckedIOException when the directory cannot be created or written
	 * @throws UnsafeCacheDirectoryException when the directory is not private to the
	 * application
	 */
	public FileTierSupport(Path directory, long maximumBytes, String keyPrefix, Clock clock,
			BackgroundScheduler background) {
		Assert.notNull(background, "background must not be null");
		Assert.isTrue(maximumBytes > 0, () -> "maximumBytes must be positive but was " + maximumBytes);
		this.directory = directory.toAbsolutePath().normalize();
		this.maximumBytes = maximumBytes;
		this.keyPrefix = (keyPrefix != null) ? keyPrefix : "";
		this.clock = clock;
		this.privateDirectory = checkWritable(this.directory);
		removeAbandonedTempFiles(this.directory);
		int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
		this.io = Schedulers.newBoundedElastic(threads, 10_000, "protevus-cache-file", 60, true);
		this.background = background;
		this.periodicClean = background.schedulePeriodically(CLEANER, this::clean, Duration.ZERO, CLEAN_INTERVAL);
	}

	private static PrivateDirectory checkWritable(Path directory) {
		try {
			PrivateDirectory checked = PrivateDirectory.createOrCheck(directory);
			Path probe = Files.createTempFile(directory, "probe", ".tmp");
			Files.delete(probe);
			return checked;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot write to cache directory " + directory + ": " + ex, ex);
		}
	}

	/**
	 * Deletes the temporary files of writes that never finished, such as those of a
	 * process that crashed mid-write. Files younger than a few seconds may belong to
	 * another instance sharing the directory and are left to the cleaner.
	 */
	private void removeAbandonedTempFiles(Path directory) {
		long cutoff = System.currentTimeMillis() - START_TEMP_FILE_AGE.toMillis();
		try (Stream<Path> files = Files.find(directory, 2, (path, attributes) -> attributes.isRegularFile()
				&& isTempFile(path) && attributes.lastModifiedTime().toMillis() < cutoff)) {
			for (Path file : (Iterable<Path>) files::iterator) {
				Files.deleteIfExists(file);
			}
		}
		catch (IOException | UncheckedIOException ex) {
			logger.warn("File cache tier: removing abandoned temporary files from " + directory + " failed: " + ex);
		}
	}

	private static boolean isTempFile(Path file) {
		return file.getFileName().toString().endsWith(".tmp");
	}

	PrivateDirectory privateDirectory() {
		return this.privateDirectory;
	}

	/**
	 * Logs, once, that something in the directory is not the application's own and is
	 * ignored.
	 */
	void foreign(Path path) {
		if (this.foreignLogged.compareAndSet(false, true)) {
			logger.warn("File cache tier: ignoring " + path
					+ ", which is not a regular file or directory of the application's user; something else writes to "
					+ this.directory + " (logged once)");
		}
	}

	TierStore createStore(String cacheName, TieredCacheSettings settings, EntryCodec codec, Clock clock) {
		String cacheDirectory = hash(this.keyPrefix + cacheName);
		this.staleMillisByDirectory.put(cacheDirectory, settings.staleWhileRevalidate().toMillis());
		return new FileTierStore(this, this.directory.resolve(cacheDirectory), this.keyPrefix + cacheName + "::",
				settings.staleWhileRevalidate().toMillis(), codec, clock);
	}

	Scheduler io() {
		return this.io;
	}

	/**
	 * Records a change of the directory's size and starts a clean-up when it is over its
	 * bound.
	 */
	void grew(long bytes) {
		if (bytes > 0) {
			this.grownDuringPass.addAndGet(bytes);
		}
		this.totalBytes.addAndGet(bytes);
		requestCleanIfOverBound();
	}

	private void requestCleanIfOverBound() {
		if (this.totalBytes.get() > this.maximumBytes && this.cleanRequested.compareAndSet(false, true)) {
			try {
				this.background.schedule(CLEANER, this::clean, Duration.ZERO);
			}
			catch (RejectedExecutionException ex) {
				// The background queue is full or shut down: the periodic pass cleans.
				this.cleanRequested.set(false);
			}
		}
	}

	/**
	 * Deletes expired entries and abandoned temporary files, then, while the directory is
	 * over its bound, the least recently written entries. Passes run one at a time: a
	 * pass asked for while one runs is run by that thread right after; growth during a
	 * pass requests another.
	 */
	void clean() {
		if (this.pendingPasses.getAndIncrement() != 0) {
			return;
		}
		int missed = 1;
		do {
			cleanOnce();
			missed = this.pendingPasses.addAndGet(-missed);
		}
		while (missed != 0);
	}

	private void cleanOnce() {
		this.cleanRequested.set(false);
		this.grownDuringPass.set(0);
		try {
			long now = this.clock.millis();
			List<Stored> kept = new ArrayList<>();
			long total = 0;
			try (Stream<Path> files = Files.find(this.directory, 2, (path, attributes) -> attributes.isRegularFile())) {
				for (Path file : (Iterable<Path>) files::iterator) {
					Stored stored = inspectQuietly(file, now);
					if (stored != null) {
						kept.add(stored);
						total += stored.size();
					}
				}
			}
			if (total > this.maximumBytes) {
				kept.sort(Comparator.comparingLong(Stored::lastModified));
				long target = this.maximumBytes - this.maximumBytes / 10;
				for (Stored stored : kept) {
					if (total <= target) {
						break;
					}
					if (Files.deleteIfExists(stored.path())) {
						total -= stored.size();
					}
				}
			}
			this.totalBytes.set(total + this.grownDuringPass.get());
			requestCleanIfOverBound();
		}
		catch (IOException | UncheckedIOException ex) {
			logger.warn("File cache tier: cleaning " + this.directory + " failed: " + ex);
		}
	}

	private Stored inspectQuietly(Path file, long now) {
		try {
			return inspect(file, now);
		}
		catch (IOException ex) {
			// Deleted or replaced by a cache operation while the cleaner looked at it.
			return null;
		}
	}

	/**
	 * Deletes a file that has expired or was abandoned mid-write.
	 * @return the file's description when kept, {@code null} when deleted or foreign
	 */
	private Stored inspect(Path file, long now) throws IOException {
		long lastModified = Files.getLastModifiedTime(file).toMillis();
		String name = file.getFileName().toString();
		if (!name.endsWith(ENTRY_SUFFIX)) {
			if (name.contains(".tmp") && now - lastModified > ABANDONED_TEMP_FILE_AGE.toMillis()) {
				Files.deleteIfExists(file);
			}
			return null;
		}
		byte[] header = new byte[EntryCodec.HEADER_LENGTH];
		try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
			if (in.readNBytes(header, 0, header.length) == header.length) {
				long stale = this.staleMillisByDirectory.getOrDefault(file.getParent().getFileName().toString(), 0L);
				if (now < EntryCodec.expiresAt(header) + stale) {
					return new Stored(file, Files.size(file), lastModified);
				}
			}
		}
		catch (RuntimeException ex) {
			// Unreadable: not an entry we can serve.
		}
		Files.deleteIfExists(file);
		return null;
	}

	@Override
	public void destroy() {
		this.periodicClean.dispose();
		this.io.dispose();
	}

	/**
	 * Hex SHA-256: file names never contain a raw key, so no key can reach outside the
	 * directory.
	 */
	static String hash(String text) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private record Stored(Path path, long size, long lastModified) {
	}

}
