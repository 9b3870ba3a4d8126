package dev.protevus.boot.test;

import reactor.blockhound.BlockHound;
import reactor.blockhound.BlockingOperationError;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * What BlockHound lets a Protevus application do on non-blocking threads (Netty event
 * loops, Reactor's parallel scheduler): one-time lazy initialisation inside the libraries
 * a Protevus application uses, which reads a resource from a jar once or waits for
 * another thread doing the same initialisation under a short lock, and the locks held for
 * a few instructions inside resilience4j, Lettuce and Protevus's worker pools. Each
 * allowance names the one method it covers, so anything else that blocks still fails.
 * BlockHound finds this class through {@code ServiceLoader} whenever
 * protevus-spring-boot-test is on the class path.
 *
 * @since 0.1.0
 */
public class ProtevusBlockHoundIntegration implements BlockHoundIntegration {

	@Override
	public void applyTo(BlockHound.Builder builder) {
		// A lock wait is recorded, not thrown: thrown from inside the lock's acquisition
		// it would leave the lock unusable (see LockWaits). The running test fails on it
		// unless a library takes the lock. Every other blocking call fails where it
		// happens.
		builder.blockingMethodCallback((method) -> {
			String taker = LockWaits.lockTaker();
			if (taker == null) {
				throw new BlockingOperationError(method);
			}
			LockWaits.record(method.toString(), taker);
		});
		// Hibernate Validator reads ValidationMessages bundles on the first constraint
		// violation and caches them per locale.
		builder.allowBlockingCallsInside("org.hibernate.validator.resourceloading.PlatformResourceBundleLocator",
				"loadBundle");
		// Hibernate Validator caches interpolated messages and metadata in its own
		// ConcurrentReferenceHashMap, whose segments take a ReentrantLock to add an
		// entry; requests reporting the same constraint violation for the first time at
		// once wait on it. Spring allows the same of its own ConcurrentReferenceHashMap.
		builder.allowBlockingCallsInside("org.hibernate.validator.internal.util.ConcurrentReferenceHashMap$Segment",
				"put");
		builder.allowBlockingCallsInside("org.hibernate.validator.internal.util.ConcurrentReferenceHashMap$Segment",
				"readValueUnderLock");
		// H2, a common embedded database, runs on the caller's thread; its DbException
		// class loads its message texts when first initialised, by the first SQL error
		// (a duplicate key).
		builder.allowBlockingCallsInside("org.h2.util.Utils", "getResource");
		// Jackson builds each type's deserializer once, under a ReentrantLock since 2.17
		// (it was a synchronized block, which BlockHound does not see); concurrent first
		// requests wait on it. This is the allowance Jackson's maintainers advise
		// (jackson-databind#4430, #4561).
		builder.allowBlockingCallsInside("com.fasterxml.jackson.databind.deser.DeserializerCache",
				"_createAndCacheValueDeserializer");
		// The same in Jackson 3 (tools.jackson), which Spring Boot 4 uses.
		builder.allowBlockingCallsInside("tools.jackson.databind.deser.DeserializerCache",
				"_createAndCacheValueDeserializer");
		// Spring's caching works out each cached method's metadata once, resolving its
		// key generator through a SingletonSupplier, which locks; concurrent first calls
		// wait on it.
		builder.allowBlockingCallsInside("org.springframework.cache.interceptor.CacheAspectSupport",
				"getCacheOperationMetadata");
		// resilience4j's AtomicRateLimiter (Protevus's per-client rate limit) retries a
		// lost compare-and-set after LockSupport.parkNanos(1), so two requests of one
		// client racing for its limiter may park an event loop for a nanosecond. Only
		// that back-off is allowed: a limiter configured to wait for permission
		// (waitForPermission) still fails.
		builder.allowBlockingCallsInside("io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter",
				"compareAndSet");
		// resilience4j's Spring Boot integration keeps the last events of every bulkhead,
		// rate limiter and circuit breaker in its registries (for
		// /actuator/bulkheadevents
		// and the like) in a ring buffer whose writes take a StampedLock for a few
		// instructions; requests that pass Protevus's in-flight limit (the bulkhead
		// protevus-web) at the same moment wait on it.
		builder.allowBlockingCallsInside("io.github.resilience4j.circularbuffer.ConcurrentEvictingQueue", "offer");
		// resilience4j 2.x takes a circuit breaker's state lock to move it from open to
		// half-open, once per opening, on the thread of the first call after the wait;
		// calls through the breaker from an event loop and another thread at that moment
		// wait on it while the transition and its event are published.
		builder.allowBlockingCallsInside(
				"io.github.resilience4j.circuitbreaker.internal.CircuitBreakerStateMachine$OpenState",
				"toHalfOpenState");
		// Handing a task to a Protevus worker pool takes its queue's lock for a few
		// instructions, which parks only while another thread holds it, as Reactor's own
		// schedulers do.
		builder.allowBlockingCallsInside("dev.protevus.boot.async.WorkerPoolExecutor", "execute");
		// Lettuce 6.3+ takes its endpoint's ReentrantLock for a few instructions on every
		// command it dispatches (SharedLock.incrementWriters); event loops writing to one
		// connection at once, as the job queue's acknowledgements do, wait on it. Failing
		// there leaves the lock's writer count wrong and hangs the connection's close.
		builder.allowBlockingCallsInside("io.lettuce.core.protocol.SharedLock", "incrementWriters");
		// Before queueing a command, Lettuce checks its endpoint's queue under the same
		// lock, for a few instructions.
		builder.allowBlockingCallsInside("io.lettuce.core.protocol.DefaultEndpoint", "validateWrite");
		// Caffeine's clear() (the memory tier dropped after Redis reconnects, or cleared)
		// takes the cache's eviction lock, which its maintenance holds for a few
		// instructions per buffered read or write; it does no I/O.
		builder.allowBlockingCallsInside("com.github.benmanes.caffeine.cache.BoundedLocalCache", "clear");
		// Netty 4.2's default allocator (Boot 4's) takes a magazine's StampedLock for a
		// few instructions while it grows its magazines on a busy event loop; it parks
		// only while another event loop holds that lock, and does no I/O.
		builder.allowBlockingCallsInside("io.netty.buffer.AdaptivePoolingAllocator$Magazine", "free");
		// Every Lettuce connection it creates looks its command interfaces' method table
		// up in one map under a ReentrantLock, for a few instructions; a Redis Cluster
		// connection creates its node connections on the thread of the command that first
		// needs one, an event loop or Reactor's parallel scheduler, so two connections
		// reaching a new master at once wait on it. Failing there leaves the waiter
		// queued
		// for good, and every later connection, in any client, hangs on the lock.
		builder.allowBlockingCallsInside("io.lettuce.core.internal.AbstractInvocationHandler$MethodTranslator", "of");
		// A Redis Cluster connection looks up, and once opened records, the connection to
		// each slot's node in a table under a ReentrantLock held for a few instructions;
		// commands dispatched at once from an event loop and another thread wait on it.
		for (String method : new String[] { "getWriteConnection", "getReadConnection", "lambda$getWriteConnection$0",
				"lambda$getReadConnection$4", "setPartitions", "resetFastConnectionCache" }) {
			builder.allowBlockingCallsInside("io.lettuce.core.cluster.PooledClusterConnectionProvider", method);
		}
		// The same table, when a node connection's handshake completes (on its event
		// loop) and the connection is registered.
		builder.allowBlockingCallsInside(
				"io.lettuce.core.cluster.PooledClusterConnectionProvider$NodeConnectionPostProcessor",
				"lambda$apply$4");
	}

}
