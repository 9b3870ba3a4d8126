package dev.protevus.boot.queue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.springframework.lang.Nullable;
import org.springframework.util.Assert;
import org.springframework.util.ClassUtils;

/**
 * Writes payloads as JSON with their class name beside them, and reads them back only for
 * classes on an allowlist, the rule the cache follows: the given packages (the
 * application's own) and JDK value types. A payload naming any other class is refused
 * before that class is loaded, so a tampered job cannot instantiate gadget types. Java
 * serialization is never used.
 *
 * @since 0.1.0
 */
public final class JsonJobCodec {

	private static final Set<String> JDK_VALUE_TYPES = Set.of("java.lang.String", "java.lang.Boolean",
			"java.lang.Character", "java.lang.Byte", "java.lang.Short", "java.lang.Integer", "java.lang.Long",
			"java.lang.Float", "java.lang.Double", "java.math.BigDecimal", "java.math.BigInteger", "java.util.UUID",
			"java.util.Date", "java.util.Locale", "java.util.Currency", "java.util.ArrayList", "java.util.LinkedList",
			"java.util.HashMap", "java.util.LinkedHashMap", "java.util.TreeMap", "java.util.HashSet",
			"java.util.LinkedHashSet", "java.util.TreeSet");

	private static final List<String> JDK_VALUE_PACKAGES = List.of("java.time.");

	private final ObjectMapper mapper;

	private final List<String> allowedPackages;

	@Nullable
	private final ClassLoader classLoader;

	private final Map<String, Class<?>> classes = new ConcurrentHashMap<>();

	/**
	 * Creates a codec.
	 * @param objectMapper the mapper to read and write with, typically Spring Boot's; it
	 * must not enable default typing
	 * @param allowedPackages packages whose classes, and those of their sub-packages, may
	 * be read
	 * @param classLoader the class loader of payload classes, or {@code null} for the
	 * default
	 */
	public JsonJobCodec(ObjectMapper objectMapper, Collection<String> allowedPackages,
			@Nullable ClassLoader classLoader) {
		Assert.notNull(objectMapper, "objectMapper must not be null");
		List<String> packages = new ArrayList<>(JDK_VALUE_PACKAGES);
		allowedPackages.stream().map((name) -> name.endsWith(".") ? name : name + ".").forEach(packages::add);
		this.allowedPackages = List.copyOf(packages);
		this.mapper = objectMapper;
		this.classLoader = classLoader;
	}

	/**
	 * The class name to store beside a payload.
	 * @param payload the payload
	 * @return its class name
	 * @throws JobPayloadException if the class is not on the allowlist
	 */
	public String type(Object payload) {
		String type = payload.getClass().getName();
		if (!isAllowed(type)) {
			throw new JobPayloadException("Cannot publish a " + type
					+ ": its package is not allowed for job payloads, so no listener could read it");
		}
		return type;
	}

	/**
	 * Writes a payload.
	 * @param payload the payload
	 * @return its JSON
	 * @throws JobPayloadException if it cannot be written
	 */
	public String write(Object payload) {
		try {
			return this.mapper.writeValueAsString(payload);
		}
		catch (IOException ex) {
			throw new JobPayloadException("Cannot write a " + payload.getClass().getName() + " as JSON", ex);
		}
	}

	/**
	 * Reads a payload, refusing a class that is not on the allowlist before loading it.
	 * @param <T> the expected type
	 * @param type the stored class name
	 * @param json the stored JSON
	 * @param expected the type the listener takes
	 * @return the payload
	 * @throws JobPayloadException if the payload may not or cannot be read as that type
	 */
	public <T> T read(String type, String json, Class<T> expected) {
		if (!isAllowed(type)) {
			throw new JobPayloadException("Payload type " + type + " is not allowed");
		}
		Class<?> actual = this.classes.computeIfAbsent(type, this::load);
		if (!ClassUtils.resolvePrimitiveIfNecessary(expected).isAssignableFrom(actual)) {
			throw new JobPayloadException(
					"Payload type " + type + " is not the listener's payload type " + expected.getName());
		}
		try {
			@SuppressWarnings("unchecked")
			T value = (T) this.mapper.readValue(json, actual);
			return value;
		}
		catch (IOException ex) {
			throw new JobPayloadException("Cannot read a " + type + " payload: " + ex.getMessage(), ex);
		}
	}

	/**
	 * Whether a class, named as {@link Class#getName()} does, may be read.
	 * @param className the class name
	 * @return {@code true} when allowed
	 */
	public boolean isAllowed(String className) {
		if (className.startsWith("[")) {
			return false;
		}
		return JDK_VALUE_TYPES.contains(className) || this.allowedPackages.stream().anyMatch(className::startsWith);
	}

	private Class<?> load(String type) {
		try {
			return ClassUtils.forName(type, this.classLoader);
		}
		catch (ClassNotFoundException | LinkageError ex) {
			throw new JobPayloadException("Payload type " + type + " is not on the class path", ex);
		}
	}

}
