package dev.protevus.boot.cache;

import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileOwnerAttributeView;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Set;

import org.springframework.lang.Nullable;

/**
 * A directory only the application may change: created with mode 700 where the file
 * system has POSIX permissions, and refused when it is a symbolic link, belongs to
 * another user or is writable by group or others. Without POSIX permissions only the link
 * and, where the file system tells, the owner are checked.
 */
final class PrivateDirectory {

	private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

	private final Path path;

	private final boolean posix;

	@Nullable
	private final UserPrincipal user;

	private PrivateDirectory(Path path) throws IOException {
		this.path = path;
		this.posix = path.getFileSystem().supportedFileAttributeViews().contains("posix");
		this.user = processUser(path.getFileSystem());
	}

	/**
	 * Creates the directory (and missing parents) private to this process, or checks the
	 * existing one.
	 * @throws UnsafeCacheDirectoryException when an existing directory is not private
	 */
	static PrivateDirectory createOrCheck(Path path) throws IOException {
		PrivateDirectory directory = new PrivateDirectory(path);
		directory.create(path);
		directory.check();
		return directory;
	}

	Path path() {
		return this.path;
	}

	/**
	 * Creates a directory inside this one, or any directory, with mode 700 where POSIX.
	 */
	void create(Path directory) throws IOException {
		if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
			if (this.posix) {
				FileAttribute<Set<PosixFilePermission>> ownerOnly = PosixFilePermissions.asFileAttribute(OWNER_ONLY);
				Files.createDirectories(directory, ownerOnly);
			}
			else {
				Files.createDirectories(directory);
			}
		}
	}

	private void check() throws IOException {
		BasicFileAttributes attributes = Files.readAttributes(this.path, BasicFileAttributes.class,
				LinkOption.NOFOLLOW_LINKS);
		String permissions = null;
		UserPrincipal owner = owner(this.path);
		if (this.posix) {
			PosixFileAttributes posixAttributes = Files.readAttributes(this.path, PosixFileAttributes.class,
					LinkOption.NOFOLLOW_LINKS);
			permissions = PosixFilePermissions.toString(posixAttributes.permissions());
		}
		String ownerName = (owner != null) ? owner.getName() : null;
		String expected = (this.user != null) ? this.user.getName() : "the application's user";
		if (attributes.isSymbolicLink()) {
			throw new UnsafeCacheDirectoryException(this.path, "is a symbolic link", ownerName, permissions, expected);
		}
		if (!attributes.isDirectory()) {
			throw new UnsafeCacheDirectoryException(this.path, "is not a directory", ownerName, permissions, expected);
		}
		if (this.user != null && owner != null && !owner.equals(this.user)) {
			throw new UnsafeCacheDirectoryException(this.path, "belongs to another user", ownerName, permissions,
					expected);
		}
		if (permissions != null && (permissions.charAt(4) == 'w' || permissions.charAt(7) == 'w')) {
			throw new UnsafeCacheDirectoryException(this.path, "is writable by group or others", ownerName, permissions,
					expected);
		}
	}

	/**
	 * Whether a file is a regular file of this process's user, not following a symbolic
	 * link.
	 */
	boolean isOwnRegularFile(Path file) throws IOException {
		BasicFileAttributes attributes;
		UserPrincipal owner;
		if (this.posix) {
			PosixFileAttributes posixAttributes = Files.readAttributes(file, PosixFileAttributes.class,
					LinkOption.NOFOLLOW_LINKS);
			attributes = posixAttributes;
			owner = posixAttributes.owner();
		}
		else {
			attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
			owner = owner(file);
		}
		return attributes.isRegularFile() && (this.user == null || owner == null || owner.equals(this.user));
	}

	/**
	 * Whether a directory inside this one is a real directory of this process's user.
	 */
	boolean isOwnDirectory(Path directory) throws IOException {
		BasicFileAttributes attributes = Files.readAttributes(directory, BasicFileAttributes.class,
				LinkOption.NOFOLLOW_LINKS);
		UserPrincipal owner = owner(directory);
		return attributes.isDirectory() && (this.user == null || owner == null || owner.equals(this.user));
	}

	@Nullable
	private static UserPrincipal owner(Path path) throws IOException {
		FileOwnerAttributeView view = Files.getFileAttributeView(path, FileOwnerAttributeView.class,
				LinkOption.NOFOLLOW_LINKS);
		if (view == null) {
			view = Files.getFileAttributeView(path, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
		}
		return (view != null) ? view.getOwner() : null;
	}

	/**
	 * The user this process runs as: the owner of a file it creates, which is right even
	 * where the user has no name in the system's user database.
	 */
	@Nullable
	private static UserPrincipal processUser(FileSystem fileSystem) throws IOException {
		if (!fileSystem.supportedFileAttributeViews().contains("owner")) {
			return null;
		}
		try {
			Path probe = Files.createTempFile("protevus-owner", ".tmp");
			try {
				return (probe.getFileSystem() == fileSystem) ? Files.getOwner(probe, LinkOption.NOFOLLOW_LINKS) : null;
			}
			finally {
				Files.deleteIfExists(probe);
			}
		}
		catch (IOException ex) {
			// No writable temporary directory: ask the user database instead.
			return fileSystem.getUserPrincipalLookupService().lookupPrincipalByName(System.getProperty("user.name"));
		}
	}

}
