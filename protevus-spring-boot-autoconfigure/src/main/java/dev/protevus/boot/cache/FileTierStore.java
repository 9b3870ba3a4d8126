package dev.protevus.boot.cache;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import reactor.core.publisher.Mono;

/**
 * The file tier of one cache: one file per entry, named by the hash of the prefixed key,
 * written to a temporary file and moved into place so that readers never see half an
 * entry.
 */
final class FileTierStore extends EncodedTierStore {

	private final FileTierSupport support;

	private final Path directory;

	private final String namespace;

	FileTierStore(FileTierSupport support, Path directory, String namespace, long staleMillis, EntryCodec codec,
			Clock clock) {
		super(codec, clock, staleMillis, "File tier in " + directory + ":");
		this.support = support;
		this.directory = directory;
		this.namespace = namespace;
	}

	@Override
	public CacheTier tier() {
		return CacheTier.FILE;
	}

	Path file(String key) {
		return this.directory.resolve(FileTierSupport.hash(this.namespace + key) + FileTierSupport.ENTRY_SUFFIX);
	}

	@Override
	public Mono<CacheEntry> get(String key) {
		return counted(io("get", () -> read(file(key))));
	}

	private CacheEntry read(Path file) throws IOException {
		byte[] bytes;
		try {
			bytes = Files.readAllBytes(file);
		}
		catch (NoSuchFileException ex) {
			return null;
		}
		if (this.clock.millis() >= EntryCodec.expiresAt(bytes) + this.staleMillis) {
			delete(file);
			return null;
		}
		return this.codec.decode(bytes);
	}

	@Override
	public Mono<Void> put(String key, CacheEntry entry) {
		if (retentionLeft(entry) <= 0) {
			return Mono.empty();
		}
		return io("put", () -> {
			byte[] bytes = this.codec.encode(entry);
			Files.createDirectories(this.directory);
			Path target = file(key);
			Path temp = Files.createTempFile(this.directory, target.getFileName().toString(), ".tmp");
			try {
				Files.write(temp, bytes);
				long previous = sizeOf(target);
				Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
				this.support.grew(bytes.length - previous);
			}
			finally {
				Files.deleteIfExists(temp);
			}
			this.counters.puts.increment();
			return null;
		});
	}

	@Override
	public Mono<Void> evict(String key) {
		return io("evict", () -> {
			if (delete(file(key))) {
				this.counters.evictions.increment();
			}
			return null;
		});
	}

	@Override
	public Mono<Void> clear() {
		return io("clear", () -> {
			if (Files.isDirectory(this.directory)) {
				try (Stream<Path> files = Files.list(this.directory)) {
					for (Path file : (Iterable<Path>) files::iterator) {
						if (delete(file)) {
							this.counters.evictions.increment();
						}
					}
				}
			}
			return null;
		});
	}

	@Override
	public Mono<Long> size() {
		return io("size", () -> {
			if (!Files.isDirectory(this.directory)) {
				return 0L;
			}
			try (Stream<Path> files = Files.list(this.directory)) {
				return files.filter((file) -> file.getFileName().toString().endsWith(FileTierSupport.ENTRY_SUFFIX))
					.count();
			}
		});
	}

	private static long sizeOf(Path file) throws IOException {
		try {
			return Files.size(file);
		}
		catch (NoSuchFileException ex) {
			return 0;
		}
	}

	private boolean delete(Path file) throws IOException {
		long size = sizeOf(file);
		boolean deleted = Files.deleteIfExists(file);
		if (deleted) {
			this.support.grew(-size);
		}
		return deleted;
	}

	/**
	 * Runs disk work on the tier's bounded pool, turning failures into a counted, logged
	 * miss.
	 */
	private <T> Mono<T> io(String what, Callable<T> work) {
		return Mono.fromCallable(work).subscribeOn(this.support.io()).onErrorResume((ex) -> {
			failed(what, ex);
			return Mono.empty();
		});
	}

}
