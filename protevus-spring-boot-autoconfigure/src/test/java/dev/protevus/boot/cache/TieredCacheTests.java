package dev.protevus.boot.cache;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.protevus.boot.task.BackgroundScheduler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * {@link TieredCache} over the memory and file tiers; Redis is covered by
 * {@link RedisTieredCacheTests}.
 */
@ExtendWith(OutputCaptureExtension.class)
class TieredCacheTests {

	private static final Duration TTL = Duration.ofMinutes(5);

	@TempDir
	Path directory;

	private final MutableClock clock = new MutableClock();

	private final JsonCacheValueSerializer serializer = new JsonCacheValueSerializer(
			new ObjectMapper().registerModule(new JavaTimeModule()), List.of("dev.protevus.boot.cache"));

	private final BackgroundScheduler background = new BackgroundScheduler(2, 100);

	private FileTierSupport file;

	private TieredCacheManager manager;

	@AfterEach
	void shutDown() {
		if (this.manager != null) {
			this.manager.destroy();
		}
		this.background.dispose();
	}

	private TieredCache cache(TieredCacheSettings settings) {
		this.file = new FileTierSupport(this.directory, 1024 * 1024, "test:", this.clock, this.background);
		this.manager = TieredCacheManager.builder(settings)
			.clock(this.clock)
			.serializer(this.serializer)
			.file(this.file)
			.build();
		return this.manager.getCache("books");
	}

	@Test
	void putWritesThroughEveryTierAndGetReadsMemoryFirst() {
		TieredCache cache = cache(TieredCacheSettings.of(TTL, CacheTier.MEMORY, CacheTier.FILE));
		cache.put("1", new Book(1L, "Dune"));
		assertThat(cache.get("1").get()).isEqualTo(new Book(1L, "Dune"));
		await().untilAsserted(() -> assertThat(entryFiles()).hasSize(1));
		assertThat(cache.statistics(CacheTier.MEMORY).hits()).isOne();
		assertThat(cache.statistics(CacheTier.FILE).hits()).isZero();
	}

	@Test
	void hitInLowerTierBackfillsMemoryWithTheRemainingTtl() {
		TieredCache cache = cache(TieredCacheSettings.of(TTL, CacheTier.MEMORY, CacheTier.FILE));
		cache.put("1", new Book(1L, "Dune"));
		await().untilAsserted(() -> assertThat(entryFiles()).hasSize(1));
		cache.invalidateLocally(null);
		this.clock.advance(Duration.ofMinutes(4));
		assertThat(cache.retrieve("1").join()).extracting((wrapper) -> ((CacheEntry) wrapper).get())
			.isEqualTo(new Book(1L, "Dune"));
		assertThat(cache.statistics(CacheTier.FILE).hits()).isOne();
		this.clock.advance(Duration.ofSeconds(59));
		assertThat(cache.get("1")).isNotNull();
		assertThat(cache.statistics(CacheTier.FILE).hits()).isOne();
		this.clock.advance(Duration.ofSeconds(1));
		assertThat(cache.get("1")).isNull();
	}

	@Test
	void entriesExpireInEveryTier() {
		TieredCache cache = cache(TieredCacheSettings.of(TTL, CacheTier.MEMORY, CacheTier.FILE));
		cache.put("1", "one");
		await().untilAsserted(() -> assertThat(entryFiles()).hasSize(1));
		this.clock.advance(TTL);
		assertThat(cache.get("1")).isNull();
		assertThat(cache.retrieve("1").join()).isNull();
		await().untilAsserted(() -> assertThat(entryFiles()).isEmpty());
	}

	@Test
	void memoryTtlShortensOnlyTheMemoryTier() {
		TieredCache cache = cache(new TieredCacheSettings(TTL, List.of(CacheTier.MEMORY, CacheTier.FILE), 100,
				Duration.ofMinutes(1), true, null, false));
		cache.put("1", "one");
		await().untilAsserted(() -> assertThat(entryFiles()).hasSize(1));
		this.clock.advance(Duration.ofMinutes(2));
		assertThat(cache.retrieve("1").join()).isNotNull();
		assertThat(cache.statistics(CacheTier.FILE).hits()).isOne();
	}

	@Test
	void concurrentMissesOfOneKeyRunOneLoad() throws Exception {
		TieredCache cache = cache(TieredCacheSettings.of(TTL, CacheTier.MEMORY, CacheTier.FILE));
		AtomicInteger loads = new AtomicInteger();
		CompletableFuture<String> slowValue = new CompletableFuture<>();
		List<CompletableFuture<String>> results = IntStream.range(0, 100).mapToObj((i) -> cache.retrieve("hot", () -> {
			loads.incrementAndGet();
			return slowValue;
		})).toList();
		slowValue.complete("value");
		assertThat(CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).thenApply((done) -> results))
			.succeedsWithin(Duration.ofSeconds(10))
			.satisfies((all) -> assertThat(all).allSatisfy((result) -> assertThat(result.join()).isEqualTo("value")));
		assertThat(loads).hasValue(1);
		assertThat(cache.loadStatistics().count()).isOne();
	}

	@Test
	void concurrentBlockingGetsOfOneKeyRunOneLoad() throws Exception {
		TieredCache cache = cache(TieredCacheSettings.of(TTL, CacheTier.MEMORY, CacheTier.FILE));
		AtomicInteger loads = new AtomicInteger();
		CountDownLatch release = new CountDownLatch(1);
		ExecutorService callers = Executors.newFixedThreadPool(16);
		try {
			List<java.util.concurrent.Future<String>> results = IntStream.range(0, 16)
				.mapToObj((i) -> callers.submit(() -> cache.get("hot", () -> {
					loads.incrementAndGet();
					release.await();
					return "value";
				})))
				.toList();
			await().until(() -> loads.get() == 1);
			release.countDown();
			for (java.util.concurrent.Future<String> result : results) {
				assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo("value");
			}
		}
		finally {
			callers.shutdownNow();
		}
		assertThat(loads).hasValue(1);
	}

	@Test
	void failedLoadIsNotCachedAndReachesEveryWaiter() {
		TieredCache cache = cache(TieredCacheSettings.of(TTL, CacheTier.MEMORY));
		CompletableFuture<String> failure = cache.retrieve("1",
				() -> CompletableFuture.failedFuture(new IllegalStateException("boom")));
		assertThat(failure).failsWithin(Duration.ofSeconds(5))
			.withThrowableOfType(java.util.concurrent.ExecutionException.class)
			.withRootCauseInstanceOf(IllegalStateException.class);
		assertThat(cache.retrieve("1", () -> CompletableFuture.completedFuture("ok")).join()).isEqualTo("ok");
		assertThat(cache.loadStatistics().failures()).isOne();
	}

	@Test
	void nullResultsAreCachedWhenAllowed() {
		TieredCache cache = cache(TieredCacheSettings.of(TTL, CacheTier.MEMORY, CacheTier.FILE));
		AtomicInteger loads = new AtomicInteger();
		for (int i = 0; i < 3; i++) {
			assertThat(cache.retrieve("missing", () -> {
				loads.incrementAndGet();
				return CompletableFuture.completedFuture(null);
			}).join()).isNull();
		}
		assertThat(loads).hasValue(1);
		assertThat(cache.get("missing")).isNotNull()
			.extracting(CacheEntry.class::cast)
			.extracting(CacheEntry::get)
			.isNull();
	}

	@Test
	void nullResultsAreNotCachedWhenDisallowed() {
		TieredCache cache = cache(
				new TieredCacheSettings(TTL, List.of(CacheTier.MEMORY), 100, null, false, null, false));
		AtomicInteger loads = new AtomicInteger();
		for (int i = 0; i < 2; i++) {
			cache.retrieve("missing", () -> {
				loads.incrementAndGet();
				return CompletableFuture.completedFuture(null);
			}).join();
		}
		assertThat(loads).hasValue(2);
		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> cache.put("1", null));
	}

	@Test
	void staleEntryIsServedAtOnceWhileOneRefreshRuns() {
		TieredCache cache = cache(
				TieredCacheSettings.of(TTL, CacheTier.MEMORY).withStaleWhileRevalidate(Duration.ofMinutes(1)));
		cache.put("1", "old");
		this.clock.advance(TTL.plusSeconds(30));
		CompletableFuture<String> refreshed = new CompletableFuture<>();
		AtomicInteger loads = new AtomicInteger();
		for (int i = 0; i < 5; i++) {
			assertThat(cache.retrieve("1", () -> {
				loads.incrementAndGet();
				return refreshed;
			})).isCompletedWithValue("old");
		}
		assertThat(loads).hasValue(1);
		refreshed.complete("new");
		assertThat(cache.retrieve("1", () -> CompletableFuture.completedFuture("unused")).join()).isEqualTo("new");
		this.clock.advance(TTL.plus(Duration.ofMinutes(1)));
		assertThat(cache.retrieve("1", () -> CompletableFuture.completedFuture("loaded")).join()).isEqualTo("loaded");
	}

	@Test
	void staleEntryFromTheFileTierIsServedWhileRefreshesFailUntilTheWindowEnds() {
		TieredCache cache = cache(TieredCacheSettings.of(TTL, CacheTier.MEMORY, CacheTier.FILE)
			.withStaleWhileRevalidate(Duration.ofMinutes(1)));
		cache.put("1", "old");
		await().untilAsserted(() -> assertThat(entryFiles()).hasSize(1));
		cache.invalidateLocally(null);
		this.clock.advance(TTL.plusSeconds(10));
		AtomicInteger refreshes = new AtomicInteger();
		java.util.function.Supplier<CompletableFuture<String>> failing = () -> {
			refreshes.incrementAndGet();
			return CompletableFuture.failedFuture(new IllegalStateException("source down"));
		};
		assertThat(cache.retrieve("1", failing)).succeedsWithin(Duration.ofSeconds(5)).isEqualTo("old");
		assertThat(cache.statistics(CacheTier.FILE).hits()).isOne();
		await().untilAsserted(() -> assertThat(cache.loadStatistics().failures()).isOne());
		this.clock.advance(Duration.ofSeconds(45));
		assertThat(cache.retrieve("1", failing)).succeedsWithin(Duration.ofSeconds(5)).isEqualTo("old");
		await().untilAsserted(() -> assertThat(cache.loadStatistics().failures()).isEqualTo(2));
		this.clock.advance(Duration.ofSeconds(5));
		assertThat(cache.retrieve("1", failing)).failsWithin(Duration.ofSeconds(5));
		assertThat(refreshes).hasValue(3);
	}

	@Test
	void fileTierThatRefusesWritesFailsOpenCountingAndLoggingAtABoundedRate(CapturedOutput output) throws Exception {
		TieredCache cache = cache(TieredCacheSettings.of(TTL, CacheTier.MEMORY, CacheTier.FILE));
		cache.put("first", "written");
		await().untilAsserted(() -> assertThat(entryFiles()).hasSize(1));
		// The cache's directory turns into something nothing can be written into, as a
		// read-only or full disk refuses writes.
		Path cacheDirectory = entryFiles().get(0).getParent();
		Files.delete(entryFiles().get(0));
		Files.delete(cacheDirectory);
		Files.writeString(cacheDirectory, "not a directory");
		for (int i = 0; i < 50; i++) {
			assertThat(cache.store(Integer.toString(i), "v" + i).toFuture()).succeedsWithin(Duration.ofSeconds(5));
		}
		assertThat(cache.statistics(CacheTier.FILE).errors()).isEqualTo(50);
		assertThat(cache.statistics(CacheTier.FILE).puts()).isOne();
		assertThat(cache.get("49").get()).as("the memory tier still serves").isEqualTo("v49");
		assertThat(output.getOut().lines().filter((line) -> line.contains("put failed")).count())
			.as("logged once per interval, not once per write")
			.isOne();
	}

	@Test
	void evictAndClearReachEveryTier() {
		TieredCache cache = cache(TieredCacheSettings.of(TTL, CacheTier.MEMORY, CacheTier.FILE));
		cache.put("1", "one");
		cache.put("2", "two");
		await().untilAsserted(() -> assertThat(entryFiles()).hasSize(2));
		cache.evict("1");
		await().untilAsserted(() -> assertThat(entryFiles()).hasSize(1));
		assertThat(cache.get("1")).isNull();
		cache.clear();
		await().untilAsserted(() -> assertThat(entryFiles()).isEmpty());
		assertThat(cache.get("2")).isNull();
	}

	@Test
	void clearLeavesOtherCachesAlone() throws Exception {
		TieredCache books = cache(TieredCacheSettings.of(TTL, CacheTier.MEMORY, CacheTier.FILE));
		TieredCache authors = this.manager.getCache("authors");
		books.put("1", "book");
		authors.put("1", "author");
		await().untilAsserted(() -> assertThat(entryFiles()).hasSize(2));
		StepVerifierSupport.complete(books.clearAll());
		assertThat(entryFiles()).hasSize(1);
		authors.invalidateLocally(null);
		assertThat(authors.retrieve("1").join()).isNotNull();
	}

	@Test
	void fileTierSurvivesANewManager() {
		TieredCache cache = cache(TieredCacheSettings.of(TTL, CacheTier.MEMORY, CacheTier.FILE));
		cache.put("1", new Book(1L, "Dune"));
		await().untilAsserted(() -> assertThat(entryFiles()).hasSize(1));
		this.manager.destroy();
		TieredCache again = cache(TieredCacheSettings.of(TTL, CacheTier.MEMORY, CacheTier.FILE));
		assertThat(again.retrieve("1").join()).extracting((wrapper) -> ((CacheEntry) wrapper).get())
			.isEqualTo(new Book(1L, "Dune"));
	}

	@Test
	void craftedKeysStayInsideTheDirectory() throws Exception {
		TieredCache cache = cache(TieredCacheSettings.of(TTL, CacheTier.FILE));
		Path outside = this.directory.getParent().resolve("passwd");
		Files.deleteIfExists(outside);
		cache.put("../../etc/passwd", "x");
		cache.put("../passwd", "y");
		await().untilAsserted(() -> assertThat(entryFiles()).hasSize(2));
		assertThat(Files.exists(outside)).isFalse();
		assertThat(entryFiles())
			.allSatisfy((file) -> assertThat(file.getFileName().toString()).matches("[0-9a-f]{64}\\.entry"));
		assertThat(cache.retrieve("../../etc/passwd").join()).extracting((wrapper) -> ((CacheEntry) wrapper).get())
			.isEqualTo("x");
	}

	@Test
	void fileTierStaysWithinItsSizeBound() {
		this.file = new FileTierSupport(this.directory, 20_000, "test:", this.clock, this.background);
		this.manager = TieredCacheManager.builder(TieredCacheSettings.of(TTL, CacheTier.FILE))
			.clock(this.clock)
			.serializer(this.serializer)
			.file(this.file)
			.build();
		TieredCache cache = this.manager.getCache("blobs");
		String blob = "x".repeat(1000);
		for (int i = 0; i < 60; i++) {
			cache.put(Integer.toString(i), blob);
		}
		// The cleaner deletes files while the directory is walked.
		await().ignoreExceptionsInstanceOf(UncheckedIOException.class)
			.untilAsserted(() -> assertThat(totalBytes()).isLessThanOrEqualTo(20_000));
		// Entries of the burst written within one millisecond tie for the oldest, so any
		// of them may have gone; one written after the cleaning is served.
		await().untilAsserted(() -> {
			cache.put("latest", blob);
			assertThat(cache.retrieve("latest").join()).isNotNull();
		});
		assertThat(Thread.getAllStackTraces().keySet()).as("the cleaner runs on the shared background scheduler")
			.noneMatch((thread) -> thread.getName().startsWith("protevus-cache-file-cleaner"));
	}

	@Test
	void keysWithoutTheirOwnToStringAreRejected() {
		TieredCache cache = cache(TieredCacheSettings.of(TTL, CacheTier.MEMORY));
		assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> cache.put(new Object(), "x"))
			.withMessageContaining("toString");
	}

	private List<Path> entryFiles() throws Exception {
		try (Stream<Path> files = Files.walk(this.directory)) {
			return files.filter((path) -> path.toString().endsWith(".entry")).toList();
		}
	}

	private long totalBytes() throws Exception {
		long total = 0;
		for (Path file : entryFiles()) {
			try {
				total += Files.size(file);
			}
			catch (NoSuchFileException ex) {
				// Deleted by the cleaner since the walk: it no longer counts.
			}
		}
		return total;
	}

	record Book(Long id, String title) {
	}

	static final class StepVerifierSupport {

		static void complete(Mono<Void> mono) {
			mono.block(Duration.ofSeconds(10));
		}

	}

}
