package dev.protevus.boot.async;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ThreadFactory;

/**
 * Creates virtual threads through method handles, since Protevus compiles for Java 17 and
 * virtual threads arrived in Java 21. Settings check {@link #available()} so that a pool
 * asking for virtual threads on an older Java fails at start-up rather than on first use.
 *
 * @since 0.1.0
 */
public final class VirtualThreads {

	private static final MethodHandle[] BUILDER = builder();

	private VirtualThreads() {
	}

	/**
	 * Whether this JVM can create virtual threads.
	 * @return {@code true} on Java 21 or later
	 */
	public static boolean available() {
		return BUILDER != null;
	}

	/**
	 * A factory of virtual threads named {@code prefix1}, {@code prefix2}, and so on.
	 */
	static ThreadFactory factory(String prefix) {
		if (BUILDER == null) {
			throw new IllegalStateException("Virtual threads need Java 21 or later");
		}
		try {
			Object builder = BUILDER[0].invoke();
			builder = BUILDER[1].invoke(builder, prefix, 1L);
			return (ThreadFactory) BUILDER[2].invoke(builder);
		}
		catch (Throwable ex) {
			throw new IllegalStateException("Cannot create virtual threads", ex);
		}
	}

	/**
	 * Handles of {@code Thread.ofVirtual()}, {@code Thread.Builder.name(String, long)}
	 * and {@code Thread.Builder.factory()}, or {@code null} before Java 21 (Java 19 and
	 * 20 have them only as a preview).
	 */
	private static MethodHandle[] builder() {
		if (Runtime.version().feature() < 21) {
			return null;
		}
		try {
			Class<?> builder = Class.forName("java.lang.Thread$Builder");
			Class<?> ofVirtual = Class.forName("java.lang.Thread$Builder$OfVirtual");
			MethodHandles.Lookup lookup = MethodHandles.publicLookup();
			return new MethodHandle[] { lookup.findStatic(Thread.class, "ofVirtual", MethodType.methodType(ofVirtual)),
					lookup.findVirtual(builder, "name", MethodType.methodType(builder, String.class, long.class)),
					lookup.findVirtual(builder, "factory", MethodType.methodType(ThreadFactory.class)) };
		}
		catch (ReflectiveOperationException ex) {
			return null;
		}
	}

}
