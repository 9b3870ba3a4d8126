package dev.protevus.boot.test;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.lang.Nullable;

/**
 * Lock waits that BlockHound caught on non-blocking threads, kept for the test that was
 * running to fail on rather than thrown where they happened.
 * <p>
 * BlockHound reports a blocking call by throwing from inside it; thrown from the
 * {@code park} of a {@code ReentrantLock} or {@code StampedLock} acquisition, the error
 * leaves the thread queued on the lock (the JDK's synchronizers do not clean up after an
 * exception there), and every later owner of that lock waits for good. The test then
 * hangs somewhere else, in a thread that did nothing wrong, instead of failing where the
 * wait happened. {@link ProtevusBlockHoundIntegration} records such waits here instead,
 * lets the lock be taken, and {@link LockWaitsExtension} fails the test with each wait's
 * stack. A wait for a lock that one of the libraries an application runs on takes for
 * itself (Lettuce, Netty, Reactor, resilience4j, Spring and the like) is printed as a
 * warning instead, once per class, since no test of the application can change it.
 *
 * @since 0.1.0
 */
public final class LockWaits {

	/**
	 * Waits kept at most between two checks; beyond this only the count grows.
	 */
	static final int MAX_KEPT = 50;

	private static final Set<String> LOCK_CLASSES = Set.of("java.util.concurrent.locks.ReentrantLock",
			"java.util.concurrent.locks.ReentrantLock$Sync", "java.util.concurrent.locks.ReentrantLock$NonfairSync",
			"java.util.concurrent.locks.ReentrantLock$FairSync",
			"java.util.concurrent.locks.ReentrantReadWriteLock$ReadLock",
			"java.util.concurrent.locks.ReentrantReadWriteLock$WriteLock", "java.util.concurrent.locks.StampedLock");

	/**
	 * Packages of the libraries whose own locks are reported but do not fail a test.
	 */
	private static final List<String> LIBRARY_PACKAGES = List.of("io.lettuce.", "io.netty.", "reactor.",
			"io.github.resilience4j.", "org.springframework.", "com.fasterxml.", "tools.jackson.", "org.hibernate.",
			"io.r2dbc.", "io.micrometer.", "com.spotify.", "org.h2.", "ch.qos.logback.", "org.apache.",
			"org.postgresql.", "com.github.benmanes.caffeine.", "org.slf4j.", "io.zonky.", "org.junit.",
			"org.awaitility.", "org.assertj.");

	private static final List<AssertionError> waits = new ArrayList<>();

	private static final Set<String> warned = ConcurrentHashMap.newKeySet();

	private static int missed;

	private LockWaits() {
	}

	/**
	 * The class that takes the lock the current thread is parking for: the first frame
	 * outside the JDK above the lock's acquisition. {@code null} when the thread is not
	 * acquiring a lock but waiting on a condition, a latch, a future or the like, which
	 * BlockHound goes on throwing for.
	 * @return the class taking the lock, or {@code null}
	 */
	@Nullable
	static String lockTaker() {
		return StackWalker.getInstance().walk((frames) -> {
			Iterator<String> names = frames.map(StackWalker.StackFrame::getClassName)
				.filter((name) -> !isParkingMachinery(name))
				.iterator();
			if (!names.hasNext() || !LOCK_CLASSES.contains(names.next())) {
				return null;
			}
			while (names.hasNext()) {
				String name = names.next();
				if (!isJdk(name)) {
					return name;
				}
			}
			return "";
		});
	}

	private static boolean isParkingMachinery(String className) {
		return className.startsWith("reactor.blockhound.") || className.equals(LockWaits.class.getName())
				|| className.equals(ProtevusBlockHoundIntegration.class.getName())
				|| className.equals("jdk.internal.misc.Unsafe")
				|| className.equals("java.util.concurrent.locks.LockSupport")
				|| className.equals("java.util.concurrent.locks.AbstractQueuedSynchronizer")
				|| className.equals("java.util.concurrent.locks.AbstractQueuedLongSynchronizer");
	}

	private static boolean isJdk(String className) {
		return className.startsWith("java.") || className.startsWith("jdk.") || className.startsWith("sun.");
	}

	/**
	 * Whether a class belongs to one of the libraries a Protevus application runs on,
	 * whose own short locks are their design rather than the application's doing.
	 * @param className the class taking a lock
	 * @return {@code true} for a library's class
	 */
	static boolean isLibrary(String className) {
		return LIBRARY_PACKAGES.stream().anyMatch(className::startsWith);
	}

	/**
	 * Records a lock wait, with the current thread's stack: one taken by the application
	 * or Protevus fails the running test; one taken inside a library is printed once per
	 * class, as a warning, since the test cannot change it (allow it in a
	 * {@code BlockHoundIntegration} once understood).
	 * @param blockingMethod what BlockHound says was called
	 * @param taker the class taking the lock
	 */
	static void record(String blockingMethod, String taker) {
		String where = "Blocking lock wait on non-blocking thread " + Thread.currentThread().getName() + ": "
				+ blockingMethod + ", the lock taken by " + taker;
		if (isLibrary(taker)) {
			if (warned.add(taker) && warned.size() <= MAX_KEPT) {
				new Throwable("WARNING " + where + " (a library's own lock: not failing the test; allow it in"
						+ " ProtevusBlockHoundIntegration once understood)")
					.printStackTrace();
			}
			return;
		}
		AssertionError wait = new AssertionError(where + " (reported after the test: thrown here, it would have"
				+ " left the lock unusable; allow it in ProtevusBlockHoundIntegration if the lock is held for a"
				+ " few instructions)");
		wait.printStackTrace();
		synchronized (waits) {
			if (waits.size() < MAX_KEPT) {
				waits.add(wait);
			}
			else {
				missed++;
			}
		}
	}

	/**
	 * Takes the waits recorded since the last call.
	 * @return an error holding every wait, or {@code null} when there was none
	 */
	public static AssertionError takeAll() {
		List<AssertionError> taken;
		int notKept;
		synchronized (waits) {
			if (waits.isEmpty()) {
				return null;
			}
			taken = new ArrayList<>(waits);
			notKept = missed;
			waits.clear();
			missed = 0;
		}
		AssertionError all = new AssertionError((taken.size() + notKept)
				+ " blocking lock wait(s) on non-blocking threads during this test; the first: "
				+ taken.get(0).getMessage(), taken.get(0));
		taken.stream().skip(1).forEach(all::addSuppressed);
		return all;
	}

}
