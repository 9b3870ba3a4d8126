package dev.protevus.boot.cache;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.protevus.boot.task.BackgroundScheduler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * The file tier's directory is private to the application, and nothing in it that the
 * application did not write is ever served.
 */
class FileTierSecurityTests {

	private static final Duration TTL = Duration.ofMinutes(5);

	@TempDir
	Path temp;

	private final MutableClock clock = new MutableClock();

	private final JsonCacheValueSerializer serializer = new JsonCacheValueSerializer(new ObjectMapper(),
			List.of("dev.protevus.boot.cache"));

	private final BackgroundScheduler background = new BackgroundScheduler(2, 100);

	private TieredCacheManager manager;

	@AfterEach
	void shutDown() {
		if (this.manager != null) {
			this.manager.destroy();
		}
		this.background.dispose();
	}

	private FileTierSupport support(Path directory) {
		return new FileTierSupport(directory, 1024 * 1024, "test:", this.clock, this.background);
	}

	private TieredCache cache(Path directory) {
		this.manager = TieredCacheManager.builder(TieredCacheSettings.of(TTL, CacheTier.FILE))
			.clock(this.clock)
			.serializer(this.serializer)
			.file(support(directory))
			.build();
		return this.manager.getCache("books");
	}

	@Test
	void missingDirectoryIsCreatedPrivateToTheApplication() throws Exception {
		Path directory = this.temp.resolve("new/cache");
		TieredCache cache = cache(directory);
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory))).isEqualTo("rwx------");
		cache.put("1", "one");
		await().untilAsserted(() -> assertThat(entryFiles(directory)).hasSize(1));
		Path cacheDirectory = entryFiles(directory).get(0).getParent();
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cacheDirectory))).isEqualTo("rwx------");
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(entryFiles(directory).get(0))))
			.isEqualTo("rw-------");
		assertThat(value(cache, "1")).isEqualTo("one");
	}

	@Test
	void worldWritableDirectoryIsRefused() throws Exception {
		Path directory = Files.createDirectory(this.temp.resolve("shared"));
		Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxrwxrwx"));
		assertThatExceptionOfType(UnsafeCacheDirectoryException.class).isThrownBy(() -> support(directory))
			.satisfies((ex) -> {
				assertThat(ex.getProblem()).isEqualTo("is writable by group or others");
				assertThat(ex.getPermissions()).isEqualTo("rwxrwxrwx");
				assertThat(ex.getOwner()).isEqualTo(Files.getOwner(directory).getName());
			});
	}

	@Test
	void groupWritableDirectoryIsRefused() throws Exception {
		Path directory = Files.createDirectory(this.temp.resolve("group"));
		Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxrwx---"));
		assertThatExceptionOfType(UnsafeCacheDirectoryException.class).isThrownBy(() -> support(directory))
			.withMessageContaining("writable by group or others")
			.withMessageContaining("rwxrwx---");
	}

	@Test
	void symbolicLinkIsRefused() throws Exception {
		Path target = Files.createDirectory(this.temp.resolve("elsewhere"));
		Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwx------"));
		Path link = Files.createSymbolicLink(this.temp.resolve("link"), target);
		assertThatExceptionOfType(UnsafeCacheDirectoryException.class).isThrownBy(() -> support(link))
			.satisfies((ex) -> assertThat(ex.getProblem()).isEqualTo("is a symbolic link"));
	}

	@Test
	void directoryOfAnotherUserIsRefused() throws Exception {
		Path directory = Files.createDirectory(this.temp.resolve("theirs"));
		Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
		assumeThat(giveToNobody(directory)).as("only root can give a file away").isTrue();
		assertThatExceptionOfType(UnsafeCacheDirectoryException.class).isThrownBy(() -> support(directory))
			.satisfies((ex) -> {
				assertThat(ex.getProblem()).isEqualTo("belongs to another user");
				assertThat(ex.getOwner()).isEqualTo("nobody");
				assertThat(ex.getExpectedOwner()).isNotEqualTo("nobody");
			});
	}

	@Test
	void plantedSymbolicLinkEntryIsNeverServed() throws Exception {
		Path directory = this.temp.resolve("cache");
		TieredCache cache = cache(directory);
		cache.put("real", "the application's value");
		await().untilAsserted(() -> assertThat(entryFiles(directory)).hasSize(1));
		Path real = entryFiles(directory).get(0);
		// A link under another key's name pointing at a valid entry: served, it would
		// let whoever plants links choose what a key returns.
		Path planted = ((FileTierStore) store(cache)).file("planted");
		Files.createSymbolicLink(planted, real);
		assertThat(cache.retrieve("planted").join()).isNull();
		assertThat(cache.statistics(CacheTier.FILE).errors()).isOne();
		assertThat(Files.isSymbolicLink(planted)).as("left alone, not followed").isTrue();
		assertThat(value(cache, "real")).isEqualTo("the application's value");
	}

	@Test
	void plantedEntryOfAnotherUserIsNeverServed() throws Exception {
		Path directory = this.temp.resolve("cache");
		TieredCache cache = cache(directory);
		cache.put("1", "the application's value");
		await().untilAsserted(() -> assertThat(entryFiles(directory)).hasSize(1));
		Path entry = entryFiles(directory).get(0);
		assumeThat(giveToNobody(entry)).as("only root can give a file away").isTrue();
		assertThat(cache.retrieve("1").join()).isNull();
		assertThat(cache.statistics(CacheTier.FILE).errors()).isOne();
	}

	@Test
	void truncatedAndGarbageEntriesAreMissesThatAreDeletedAndCounted() throws Exception {
		Path directory = this.temp.resolve("cache");
		TieredCache cache = cache(directory);
		cache.put("truncated", new Book(1L, "Dune"));
		cache.put("garbage", "x");
		await().untilAsserted(() -> assertThat(entryFiles(directory)).hasSize(2));
		FileTierStore store = (FileTierStore) store(cache);
		byte[] whole = Files.readAllBytes(store.file("truncated"));
		Files.write(store.file("truncated"), java.util.Arrays.copyOf(whole, whole.length - 5));
		Files.write(store.file("garbage"), "not a cache entry at all".getBytes());
		assertThat(cache.retrieve("truncated").join()).isNull();
		assertThat(cache.retrieve("garbage").join()).isNull();
		assertThat(cache.statistics(CacheTier.FILE).errors()).isEqualTo(2);
		assertThat(entryFiles(directory)).as("deleted, so the next read does not fail again").isEmpty();
		assertThat(cache.retrieve("garbage").join()).isNull();
		assertThat(cache.statistics(CacheTier.FILE).errors()).isEqualTo(2);
	}

	@Test
	void abandonedTemporaryFilesAreRemovedAtStart() throws Exception {
		Path directory = this.temp.resolve("cache");
		support(directory).destroy();
		Path cacheDirectory = Files.createDirectories(directory.resolve("abc"));
		Path abandoned = Files.writeString(cacheDirectory.resolve("0123.entry4567.tmp"), "half an ent");
		Files.setLastModifiedTime(abandoned, FileTime.from(Instant.now().minusSeconds(30)));
		Path inFlight = Files.writeString(cacheDirectory.resolve("89ab.entrycdef.tmp"), "being written");
		support(directory).destroy();
		assertThat(abandoned).doesNotExist();
		assertThat(inFlight).as("may be another instance's write in progress").exists();
	}

	private static boolean giveToNobody(Path path) {
		try {
			UserPrincipal nobody = path.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
			Files.setOwner(path, nobody);
			return Files.getOwner(path, LinkOption.NOFOLLOW_LINKS).equals(nobody);
		}
		catch (Exception ex) {
			return false;
		}
	}

	private static TierStore store(TieredCache cache) {
		return cache.store(CacheTier.FILE);
	}

	private static Object value(TieredCache cache, String key) {
		Object found = cache.retrieve(key).join();
		return (found != null) ? ((CacheEntry) found).get() : null;
	}

	private static List<Path> entryFiles(Path directory) throws Exception {
		try (Stream<Path> files = Files.walk(directory)) {
			return files.filter((path) -> path.toString().endsWith(".entry")).toList();
		}
	}

	record Book(Long id, String title) {
	}

}
