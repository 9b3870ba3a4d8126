package dev.protevus.boot.test;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test during which BlockHound caught a lock wait on a non-blocking thread (see
 * {@link LockWaits}). JUnit finds it through {@code ServiceLoader} where extension
 * auto-detection is on ({@code junit.jupiter.extensions.autodetection.enabled}), as the
 * Protevus build turns it on for every module's tests.
 *
 * @since 0.1.0
 */
public class LockWaitsExtension implements AfterEachCallback {

	@Override
	public void afterEach(ExtensionContext context) {
		AssertionError waits = LockWaits.takeAll();
		if (waits != null) {
			throw waits;
		}
	}

}
