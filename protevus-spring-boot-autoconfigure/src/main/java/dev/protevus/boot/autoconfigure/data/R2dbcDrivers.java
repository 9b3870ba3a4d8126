package dev.protevus.boot.autoconfigure.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.springframework.lang.Nullable;
import org.springframework.util.ClassUtils;

/**
 * The R2DBC drivers on a class path: the {@code io.r2dbc.spi.ConnectionFactoryProvider}
 * services that can load, less r2dbc-pool's and r2dbc-proxy's, which wrap a driver rather
 * than being one. The starter brings r2dbc-pool, so its service file alone says nothing
 * about whether the application has a database.
 */
final class R2dbcDrivers {

	static final String URL_PROPERTY = "spring.r2dbc.url";

	private static final String SERVICES = "META-INF/services/io.r2dbc.spi.ConnectionFactoryProvider";

	private static final List<String> WRAPPER_PACKAGES = List.of("io.r2dbc.pool.", "io.r2dbc.proxy.");

	private R2dbcDrivers() {
	}

	/**
	 * Lists the provider classes of the drivers that a class loader can load, read from
	 * the service files without instantiating them.
	 * @param classLoader the class loader to look in
	 * @return the providers' class names, in class path order
	 */
	static List<String> providers(@Nullable ClassLoader classLoader) {
		ClassLoader loader = (classLoader != null) ? classLoader : ClassUtils.getDefaultClassLoader();
		Set<String> providers = new LinkedHashSet<>();
		try {
			Enumeration<URL> files = loader.getResources(SERVICES);
			while (files.hasMoreElements()) {
				providers.addAll(read(files.nextElement()));
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read " + SERVICES, ex);
		}
		return providers.stream()
			.filter((name) -> WRAPPER_PACKAGES.stream().noneMatch(name::startsWith))
			.filter((name) -> ClassUtils.isPresent(name, loader))
			.toList();
	}

	private static List<String> read(URL file) throws IOException {
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(file.openStream(), StandardCharsets.UTF_8))) {
			return reader.lines()
				.map((line) -> line.replaceFirst("#.*", "").trim())
				.filter((line) -> !line.isEmpty())
				.toList();
		}
	}

}
