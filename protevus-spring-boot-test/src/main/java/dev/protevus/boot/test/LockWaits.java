package dev.protevus.boot.test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

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
 * stack.
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

	private static final List<AssertionError> waits = new ArrayList<>();

	private static int missed;

	private LockWaits() {
	}

	/**
	 * Whether the current thread is parking to acquire a lock, as opposed to waiting on a
	 * condition, a latch or a future: the first frame above the JDK's parking machinery
	 * is a lock's own.
	 * @return {@code true} inside a lock acquisition
	 */
	static boolean inLockAcquisition() {
		return StackWalker.getInstance()
			.walk((frames) -> frames.map(StackWalker.StackFrame::getClassName)
				.filter((name) -> !isParkingMachinery(name))
				.findFirst()
				.map(LOCK_CLASSES::contains)
				.orElse(false));
	}

	private static boolean isParkingMachinery(String className) {
		return className.startsWith("reactor.blockhound.") || className.startsWith("dev.protevus.boot.test.")
				|| className.equals("jdk.internal.misc.Unsafe")
				|| className.equals("java.util.concurrent.locks.LockSupport")
				|| className.equals("java.util.concurrent.locks.AbstractQueuedSynchronizer")
				|| className.equals("java.util.concurrent.locks.AbstractQueuedLongSynchronizer");
	}

	/**
	 * Records a lock wait, with the current thread's stack.
	 * @param blockingMethod what BlockHound says was called
	 */
	static void record(String blockingMethod) {
		AssertionError wait = new AssertionError(
				"Blocking lock wait on non-blocking thread " + Thread.currentThread().getName() + ": " + blockingMethod
						+ " (reported after the test: thrown here, it would have left the lock"
						+ " unusable; allow it in ProtevusBlockHoundIntegration if the lock is held for a few"
						+ " instructions)");
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
