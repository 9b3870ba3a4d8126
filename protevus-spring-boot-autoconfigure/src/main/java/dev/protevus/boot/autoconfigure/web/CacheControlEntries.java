package dev.protevus.boot.autoconfigure.web;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;

/**
 * The {@code protevus.web.cache-control} entries with their path patterns as written.
 * Spring Boot's binder drops {@code /} and {@code *} from map keys that are not in
 * brackets, so {@code "/books/**": …} in YAML would bind as {@code books}; the patterns
 * are therefore also read from the property sources' own names, and the bound entries
 * they became are replaced.
 */
final class CacheControlEntries {

	private static final String PREFIX = "protevus.web.cache-control.";

	private CacheControlEntries() {
	}

	/**
	 * The entries, each key a path pattern as written wherever the property sources keep
	 * it.
	 * @param bound the entries as bound, bracketed keys intact and others stripped
	 * @param environment the environment they were bound from
	 * @return the entries, the source with the highest precedence winning for a pattern
	 */
	static Map<String, String> of(Map<String, String> bound, Environment environment) {
		Map<String, String> written = new LinkedHashMap<>();
		Map<String, String> boundAs = new LinkedHashMap<>();
		if (environment instanceof ConfigurableEnvironment configurable) {
			for (PropertySource<?> source : configurable.getPropertySources()) {
				if (source instanceof EnumerablePropertySource<?> enumerable
						&& !ConfigurationPropertySources.isAttachedConfigurationPropertySource(source)) {
					collect(enumerable, configurable, written, boundAs);
				}
			}
		}
		Map<String, String> entries = new LinkedHashMap<>(bound);
		boundAs.values().forEach(entries::remove);
		entries.putAll(written);
		return entries;
	}

	private static void collect(EnumerablePropertySource<?> source, Environment environment,
			Map<String, String> written, Map<String, String> boundAs) {
		for (String name : source.getPropertyNames()) {
			if (!name.startsWith(PREFIX) || !name.startsWith("/", PREFIX.length())) {
				continue;
			}
			String pattern = name.substring(PREFIX.length());
			if (written.containsKey(pattern)) {
				// A source of higher precedence has set it already.
				continue;
			}
			Object value = source.getProperty(name);
			written.put(pattern, (value != null) ? environment.resolvePlaceholders(value.toString()) : "");
			// What the binder made of the name, such as "books" for "/books/**"; nothing
			// for "/**".
			String adapted = ConfigurationPropertyName.adapt(name, '.').toString();
			if (adapted.length() > PREFIX.length()) {
				boundAs.put(pattern, adapted.substring(PREFIX.length()));
			}
		}
	}

}
