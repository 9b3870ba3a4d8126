package dev.protevus.sample.bookstore;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * What BlockHound lets the sample's tests do on non-blocking threads: only one-time lazy
 * initialisation inside third-party libraries, each reading a resource from a jar once and then
 * caching it. Everything else that blocks a Netty or Reactor thread still fails the request.
 */
public class SampleBlockHoundIntegration implements BlockHoundIntegration {

	@Override
	public void applyTo(BlockHound.Builder builder) {
		// Hibernate Validator reads ValidationMessages bundles on the first constraint violation
		// and caches them per locale.
		builder.allowBlockingCallsInside("org.hibernate.validator.resourceloading.PlatformResourceBundleLocator",
				"loadBundle");
		// H2, the embedded default database, runs on the caller's thread; its DbException class
		// loads its message texts when first initialised, by the first SQL error (a duplicate key).
		builder.allowBlockingCallsInside("org.h2.util.Utils", "getResource");
	}

}
