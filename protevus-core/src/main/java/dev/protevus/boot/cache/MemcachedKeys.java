package dev.protevus.boot.cache;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Memcached's key rules: at most 250 bytes, none of them a space or a control character.
 * A key that breaks them, or that starts with the {@code #} that marks Protevus's own
 * keys, is replaced by {@code <prefix>#<SHA-256 of the whole key, base64url>}, which
 * keeps to the rules and, by SHA-256, names one key only.
 */
final class MemcachedKeys {

	/**
	 * Memcached's longest key, in bytes.
	 */
	static final int MAX_LENGTH = 250;

	static final char MARK = '#';

	/**
	 * Longest prefix kept readable in front of a hashed key: 250 bytes less the 44 of the
	 * mark and the hash.
	 */
	private static final int MAX_HASHED_PREFIX = MAX_LENGTH - 44;

	private MemcachedKeys() {
	}

	/**
	 * The memcached key of a cache key.
	 * @param prefix the application's key prefix
	 * @param namespace the cache's namespace, ending with {@code ::}
	 * @param key the cache key
	 * @return a key that memcached accepts
	 */
	static String key(String prefix, String namespace, String key) {
		String full = prefix + namespace + key;
		byte[] bytes = full.getBytes(StandardCharsets.UTF_8);
		if (bytes.length <= MAX_LENGTH && allowed(bytes) && (key.isEmpty() || key.charAt(0) != MARK)) {
			return full;
		}
		return hashed(prefix, bytes);
	}

	/**
	 * A key of Protevus's own under a namespace, such as the generation counter: it
	 * starts with {@link #MARK}, which no cache key keeps.
	 */
	static String reserved(String prefix, String namespace, String name) {
		String full = prefix + namespace + MARK + name;
		byte[] bytes = full.getBytes(StandardCharsets.UTF_8);
		return (bytes.length <= MAX_LENGTH && allowed(bytes)) ? full : hashed(prefix, bytes);
	}

	private static String hashed(String prefix, byte[] full) {
		String readable = (prefix.getBytes(StandardCharsets.UTF_8).length <= MAX_HASHED_PREFIX
				&& allowed(prefix.getBytes(StandardCharsets.UTF_8))) ? prefix : "";
		return readable + MARK + Base64.getUrlEncoder().withoutPadding().encodeToString(sha256(full));
	}

	/**
	 * Whether every byte is allowed in a memcached key: no control character, space or
	 * DEL. Bytes of multi-byte UTF-8 characters are all above 0x7F, so allowed.
	 */
	static boolean allowed(byte[] bytes) {
		for (byte b : bytes) {
			if ((b >= 0 && b <= ' ') || b == 0x7F) {
				return false;
			}
		}
		return true;
	}

	private static byte[] sha256(byte[] bytes) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(bytes);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every Java platform has SHA-256", ex);
		}
	}

}
