package dev.protevus.boot.cache;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.core.TreeNode;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.cfg.MapperConfig;
import com.fasterxml.jackson.databind.jsontype.PolymorphicTypeValidator;

import org.springframework.core.serializer.support.SerializationFailedException;
import org.springframework.util.Assert;

/**
 * JSON through Jackson, recording each value's class so that it reads back as the same
 * type, but only for classes on an allowlist: the given packages (the application's own)
 * and JDK value types. A payload naming any other class is rejected before that class is
 * even loaded, so a tampered Redis entry cannot instantiate gadget types.
 *
 * @since 0.1.0
 */
public final class JsonCacheValueSerializer implements CacheValueSerializer {

	private static final Set<String> JDK_VALUE_TYPES = Set.of("java.lang.String", "java.lang.Boolean",
			"java.lang.Character", "java.lang.Byte", "java.lang.Short", "java.lang.Integer", "java.lang.Long",
			"java.lang.Float", "java.lang.Double", "java.math.BigDecimal", "java.math.BigInteger", "java.util.UUID",
			"java.util.Date", "java.util.Locale", "java.util.Currency", "java.util.ArrayList", "java.util.LinkedList",
			"java.util.HashMap", "java.util.LinkedHashMap", "java.util.TreeMap", "java.util.HashSet",
			"java.util.LinkedHashSet", "java.util.TreeSet");

	private static final List<String> JDK_VALUE_PACKAGES = List.of("java.time.");

	private final List<String> allowedPackages;

	private final ObjectWriter writer;

	private final ObjectReader reader;

	/**
	 * Creates a serializer on a copy of the given mapper, so the application's own mapper
	 * keeps its settings.
	 * @param objectMapper the mapper whose modules and settings to use, typically Spring
	 * Boot's
	 * @param allowedPackages packages whose classes, and those of their sub-packages, may
	 * be read
	 */
	public JsonCacheValueSerializer(ObjectMapper objectMapper, Collection<String> allowedPackages) {
		Assert.notNull(objectMapper, "objectMapper must not be null");
		List<String> packages = new ArrayList<>(JDK_VALUE_PACKAGES);
		allowedPackages.stream().map((name) -> name.endsWith(".") ? name : name + ".").forEach(packages::add);
		this.allowedPackages = List.copyOf(packages);
		ObjectMapper mapper = objectMapper.copy();
		mapper.setDefaultTyping(new EveryValueTyping(new AllowlistValidator()).init(JsonTypeInfo.Id.CLASS, null)
			.inclusion(JsonTypeInfo.As.PROPERTY));
		this.writer = mapper.writerFor(Object.class);
		this.reader = mapper.readerFor(Object.class);
	}

	@Override
	public byte[] serialize(Object value) {
		if (!isAllowed(value.getClass().getName())) {
			throw new SerializationFailedException("Cannot cache a " + value.getClass().getName()
					+ " outside the memory tier: its package is not allowed for serialization");
		}
		try {
			return this.writer.writeValueAsBytes(value);
		}
		catch (IOException ex) {
			throw new SerializationFailedException("Cannot write a " + value.getClass().getName() + " as JSON", ex);
		}
	}

	@Override
	public Object deserialize(byte[] bytes) {
		try {
			return this.reader.readValue(bytes);
		}
		catch (IOException ex) {
			throw new SerializationFailedException("Cannot read a cached value: " + ex.getMessage(), ex);
		}
	}

	/**
	 * Whether a class, named as {@link Class#getName()} does, may be read back.
	 * @param className the class name, arrays included
	 * @return {@code true} when allowed
	 */
	public boolean isAllowed(String className) {
		String name = elementClassName(className);
		if (name == null) {
			return true;
		}
		return JDK_VALUE_TYPES.contains(name) || this.allowedPackages.stream().anyMatch(name::startsWith);
	}

	/**
	 * The element class of an array class name, {@code null} for primitive elements.
	 */
	private static String elementClassName(String className) {
		if (!className.startsWith("[")) {
			return className;
		}
		String element = className.substring(className.lastIndexOf('[') + 1);
		return (element.startsWith("L") && element.endsWith(";")) ? element.substring(1, element.length() - 1) : null;
	}

	/**
	 * Records the class of every value except JSON's natural types, final classes
	 * (records) included, so that values read back as what was written.
	 */
	private static final class EveryValueTyping extends ObjectMapper.DefaultTypeResolverBuilder {

		private static final long serialVersionUID = 1L;

		EveryValueTyping(PolymorphicTypeValidator validator) {
			super(ObjectMapper.DefaultTyping.NON_FINAL, validator);
		}

		@Override
		public boolean useForType(JavaType type) {
			if (type.isPrimitive()) {
				return false;
			}
			Class<?> raw = type.getRawClass();
			return raw != String.class && raw != Boolean.class && raw != Integer.class && raw != Double.class
					&& !TreeNode.class.isAssignableFrom(raw);
		}

	}

	private final class AllowlistValidator extends PolymorphicTypeValidator.Base {

		private static final long serialVersionUID = 1L;

		@Override
		public Validity validateSubClassName(MapperConfig<?> config, JavaType baseType, String subClassName) {
			return isAllowed(subClassName) ? Validity.ALLOWED : Validity.DENIED;
		}

		@Override
		public Validity validateSubType(MapperConfig<?> config, JavaType baseType, JavaType subType) {
			return isAllowed(subType.getRawClass().getName()) ? Validity.ALLOWED : Validity.DENIED;
		}

	}

}
