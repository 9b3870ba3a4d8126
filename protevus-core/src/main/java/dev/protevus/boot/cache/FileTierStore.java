package dev.protevus.boot.cache;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import reactor.core.publisher.Mono;

/**
 * The file tier of one cache: one file per entry, named by the hash of the prefixed key,
 * written to a temporary file and moved into place so that readers never see half an
 * entry. Only regular files of the application's user are read, never through a symbolic
 * link; an entry that cannot be decoded is deleted and counted as an error.
 */
final class FileTierStore extends EncodedTierStore {

	private final FileTierSupport support;

	private final Path directory;

	private final String namespace;

	private volatile boolean directoryChecked;

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
			if (!ownDirectory() || !this.support.privateDirectory().isOwnRegularFile(file)) {
				this.support.foreign(file);
				this.counters.errors.increment();
				return null;
			}
			bytes = readWithoutFollowingLinks(file);
		}
		catch (NoSuchFileException ex) {
			return null;
		}
		try {
			if (this.clock.millis() >= EntryCodec.expiresAt(bytes) + this.staleMillis) {
				delete(file);
				return null;
			}
			return this.codec.decode(bytes);
		}
		catch (RuntimeException ex) {
			// Truncated, garbage or refused: delete it so the next read does not fail
			// too.
			delete(file);
			failed("read", ex);
			return null;
		}
	}

	private static byte[] readWithoutFollowingLinks(Path file) throws IOException {
		try (SeekableByteChannel channel = Files.newByteChannel(file, StandardOpenOption.READ,
				LinkOption.NOFOLLOW_LINKS)) {
			long size = channel.size();
			if (size > Integer.MAX_VALUE - 8) {
				throw new IOException("Cache entry " + file + " is too large: " + size + " bytes");
			}
			ByteBuffer buffer = ByteBuffer.allocate((int) size);
			while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
				// Until the whole file is read.
			}
			return (buffer.hasRemaining()) ? Arrays.copyOf(buffer.array(), buffer.position()) : buffer.array();
		}
	}

	/**
	 * Whether this cache's directory, if it exists, is a real directory of the
	 * application's user. Checked until it first passes: nobody else can replace it
	 * afterwards, since the directory above it is private.
	 */
	private boolean ownDirectory() throws IOException {
		if (this.directoryChecked) {
			return true;
		}
		if (!Files.exists(this.directory, LinkOption.NOFOLLOW_LINKS)) {
			return true;
		}
		if (!this.support.privateDirectory().isOwnDirectory(this.directory)) {
			this.support.foreign(this.directory);
			return false;
		}
		this.directoryChecked = true;
		return true;
	}

	@Override
	public Mono<Void> put(String key, CacheEntry entry) {
		if (retentionLeft(entry) <= 0) {
			return Mono.empty();
		}
		return io("put", () -> {
			byte[] bytes = this.codec.encode(entry);
			this.support.privateDirectory().create(this.directory);
			if (!ownDirectory()) {
				throw new IOException(this.directory + " is not a directory of the application's own");
			}
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
			if (Files.isDirectory(this.directory, LinkOption.NOFOLLOW_LINKS) && ownDirectory()) {
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
			if (!Files.isDirectory(this.directory, LinkOption.NOFOLLOW_LINKS) || !ownDirectory()) {
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
