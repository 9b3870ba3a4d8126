package dev.protevus.boot.web;

import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;

/**
 * One {@code Cache-Control} value and the paths it applies to.
 *
 * @param pattern the paths
 * @param value the header's value
 * @since 0.1.0
 */
public record CacheControlRule(PathPattern pattern, String value) {

	/**
	 * Whether the rule applies to a path.
	 * @param path the path within the application
	 * @return whether it matches
	 */
	public boolean matches(PathContainer path) {
		return this.pattern.matches(path);
	}

}
