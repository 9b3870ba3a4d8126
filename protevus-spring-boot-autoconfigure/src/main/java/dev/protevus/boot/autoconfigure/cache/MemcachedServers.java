package dev.protevus.boot.autoconfigure.cache;

import java.util.ArrayList;
import java.util.List;

import dev.protevus.boot.autoconfigure.InvalidPropertyException;

/**
 * Reads {@code protevus.cache.memcached.servers}: each {@code host:port},
 * {@code [ipv6]:port} or {@code host} (port 11211), failing start-up on any other value.
 */
final class MemcachedServers {

	static final int DEFAULT_PORT = 11211;

	private MemcachedServers() {
	}

	static List<Server> parse(List<String> servers) {
		List<Server> parsed = new ArrayList<>();
		for (String server : servers) {
			parsed.add(parse(server, servers));
		}
		if (parsed.isEmpty()) {
			throw invalid(servers, "it names no server");
		}
		return parsed;
	}

	private static Server parse(String server, List<String> all) {
		String text = (server != null) ? server.trim() : "";
		String host = text;
		String port = null;
		if (text.startsWith("[")) {
			int end = text.indexOf(']');
			if (end < 0) {
				throw invalid(all, "'" + text + "' opens an IPv6 address without closing it");
			}
			host = text.substring(1, end);
			if (end + 1 < text.length()) {
				if (text.charAt(end + 1) != ':') {
					throw invalid(all, "'" + text + "' is not [address]:port");
				}
				port = text.substring(end + 2);
			}
		}
		else if (text.indexOf(':') >= 0) {
			if (text.indexOf(':') != text.lastIndexOf(':')) {
				throw invalid(all, "'" + text + "' has more than one colon; write an IPv6 address as [address]:port");
			}
			host = text.substring(0, text.indexOf(':'));
			port = text.substring(text.indexOf(':') + 1);
		}
		if (host.isEmpty() || host.chars().anyMatch(Character::isWhitespace)) {
			throw invalid(all, "'" + text + "' has no host name");
		}
		return new Server(host, (port != null) ? port(port, text, all) : DEFAULT_PORT);
	}

	private static int port(String port, String server, List<String> all) {
		try {
			int value = Integer.parseInt(port);
			if (value > 0 && value <= 65535) {
				return value;
			}
		}
		catch (NumberFormatException ex) {
			// Reported below.
		}
		throw invalid(all, "'" + server + "' has no port between 1 and 65535");
	}

	private static InvalidPropertyException invalid(List<String> servers, String reason) {
		return new InvalidPropertyException(MemcachedTierCondition.SERVERS, servers, reason,
				"Set '" + MemcachedTierCondition.SERVERS
						+ "' to the memcached servers as host:port, such as cache-1:11211,cache-2:11211.");
	}

	record Server(String host, int port) {
	}

}
