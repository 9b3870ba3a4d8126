package dev.protevus.sample.bookstore;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * What BlockHound lets the sample's tests do on non-blocking threads: only one-time lazy
 * initialisation inside third-party libraries, which reads a resource from a jar once, or waits
 * for another thread doing the same initialisation under a short lock. Everything else that
 * blocks a Netty or Reactor thread still fails the request.
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
		// Jackson builds each type's deserializer once, under a ReentrantLock since 2.17 (it was a
		// synchronized block, which BlockHound does not see); concurrent first requests wait on it.
		// This is the allowance Jackson's maintainers advise (jackson-databind#4430, #4561).
		builder.allowBlockingCallsInside("com.fasterxml.jackson.databind.deser.DeserializerCache",
				"_createAndCacheValueDeserializer");
		// Spring's caching works out each cached method's metadata once, resolving its key generator
		// through a SingletonSupplier, which locks; concurrent first calls wait on it.
		builder.allowBlockingCallsInside("org.springframework.cache.interceptor.CacheAspectSupport",
				"getCacheOperationMetadata");
	}

}
