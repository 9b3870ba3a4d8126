package dev.protevus.boot.cache;

import java.nio.file.Path;

import org.springframework.lang.Nullable;

/**
 * The file tier's directory could be changed by someone other than the application: it is
 * a symbolic link, belongs to another user, or group or others may write to it. Another
 * local user could then delete entries or plant ones that would be served as cache hits,
 * so the file tier refuses it at start-up.
 *
 * @since 0.1.0
 */
public class UnsafeCacheDirectoryException extends RuntimeException {

	private final Path directory;

	private final String problem;

	@Nullable
	private final String owner;

	@Nullable
	private final String permissions;

	private final String expectedOwner;

	/**
	 * Creates the exception.
	 * @param directory the refused directory
	 * @param problem what is wrong with it, such as "is a symbolic link"
	 * @param owner its owner, {@code null} when the file system does not tell
	 * @param permissions its POSIX permissions ({@code rwxr-xr-x}), {@code null} without
	 * POSIX permissions
	 * @param expectedOwner the user the application runs as
	 */
	public UnsafeCacheDirectoryException(Path directory, String problem, @Nullable String owner,
			@Nullable String permissions, String expectedOwner) {
		super("Cache directory " + directory + " " + problem + " (owner " + ((owner != null) ? owner : "unknown")
				+ ", permissions " + ((permissions != null) ? permissions : "not POSIX") + ")");
		this.directory = directory;
		this.problem = problem;
		this.owner = owner;
		this.permissions = permissions;
		this.expectedOwner = expectedOwner;
	}

	/**
	 * The refused directory.
	 * @return the directory
	 */
	public Path getDirectory() {
		return this.directory;
	}

	/**
	 * What is wrong with the directory.
	 * @return the problem, such as "is writable by group or others"
	 */
	public String getProblem() {
		return this.problem;
	}

	/**
	 * The directory's owner.
	 * @return the owner's name, {@code null} when unknown
	 */
	@Nullable
	public String getOwner() {
		return this.owner;
	}

	/**
	 * The directory's POSIX permissions.
	 * @return permissions such as {@code rwxrwxrwx}, {@code null} without POSIX
	 * permissions
	 */
	@Nullable
	public String getPermissions() {
		return this.permissions;
	}

	/**
	 * The user the application runs as, who must own the directory.
	 * @return the user's name
	 */
	public String getExpectedOwner() {
		return this.expectedOwner;
	}

}
