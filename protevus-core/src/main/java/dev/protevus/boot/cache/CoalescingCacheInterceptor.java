package dev.protevus.boot.cache;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.cache.Cache;
import org.springframework.cache.interceptor.CacheInterceptor;
import org.springframework.cache.interceptor.CacheOperation;
import org.springframework.cache.interceptor.CacheOperationInvoker;
import org.springframework.cache.interceptor.CacheOperationSource;
import org.springframework.cache.interceptor.CacheableOperation;
import org.springframework.core.KotlinDetector;
import org.springframework.core.ReactiveAdapter;
import org.springframework.core.ReactiveAdapterRegistry;
import org.springframework.lang.Nullable;
import org.springframework.util.ObjectUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Spring's {@link CacheInterceptor} that hands a plain {@code @Cacheable} method's
 * invocation to Protevus's caches as their loader, so that concurrent misses of one key
 * run the method once, {@code lock: cluster} and stale-while-revalidate apply, and
 * {@code unless} and {@code condition} keep their meaning. It does so only for methods
 * whose cache operations are all {@code @Cacheable} without {@code sync = true} and whose
 * caches are all {@link TieredCache}s with {@link TieredCacheSettings#coalesceLoads()
 * coalesceLoads}; every other method, and every cache of another {@code CacheManager},
 * gets Spring's own behaviour unchanged.
 * <p>
 * With several caches (or several {@code @Cacheable}s) on one method, the first cache
 * coalesces the loads: its loader looks in the other caches in order, copies a value
 * found there into the first cache, and otherwise invokes the method and puts the result
 * into every cache whose {@code unless} allows it. Methods returning {@code Mono},
 * {@code Flux} (cached as a list, as Spring does), {@code CompletableFuture} or a plain
 * value are supported. A plain-value method called on a non-blocking thread (a Netty
 * event loop) never waits for another caller's load: it consults the memory tier only
 * and, on a miss, invokes the method itself.
 *
 * @since 0.1.0
 */
@SuppressWarnings("serial")
public class CoalescingCacheInterceptor extends CacheInterceptor {

	private static final Object MISS = new Object();

	private static final ReactiveAdapterRegistry ADAPTERS = ReactiveAdapterRegistry.getSharedInstance();

	private volatile boolean initialized;

	@Override
	public void afterSingletonsInstantiated() {
		super.afterSingletonsInstantiated();
		this.initialized = true;
	}

	@Override
	protected CacheOperationContext getOperationContext(CacheOperation operation, Method method, Object[] args,
			Object target, Class<?> targetClass) {
		return new LoadingContext(getCacheOperationMetadata(operation, method, targetClass), args, target);
	}

	@Override
	@Nullable
	protected Object execute(CacheOperationInvoker invoker, Object target, Method method, Object[] args) {
		CacheOperationSource source = getCacheOperationSource();
		if (!this.initialized || source == null) {
			return super.execute(invoker, target, method, args);
		}
		Class<?> targetClass = AopProxyUtils.ultimateTargetClass(target);
		Collection<CacheOperation> operations = source.getCacheOperations(method, targetClass);
		if (!isCoalescable(operations, method)) {
			return super.execute(invoker, target, method, args);
		}
		List<LoadingContext> contexts = new ArrayList<>(operations.size());
		for (CacheOperation operation : operations) {
			LoadingContext context = (LoadingContext) getOperationContext(operation, method, args, target, targetClass);
			if (!context.coalescesLoads()) {
				return super.execute(invoker, target, method, args);
			}
			contexts.add(context);
		}
		List<Target> targets = new ArrayList<>();
		for (LoadingContext context : contexts) {
			if (context.conditionPasses()) {
				Object key = context.key();
				for (Cache cache : context.caches()) {
					targets.add(new Target(context, (TieredCache) cache, key));
				}
			}
		}
		if (targets.isEmpty()) {
			return invokeOperation(invoker);
		}
		return new Load(invoker, method, targets).run();
	}

	private boolean isCoalescable(@Nullable Collection<CacheOperation> operations, Method method) {
		if (operations == null || operations.isEmpty()) {
			return false;
		}
		for (CacheOperation operation : operations) {
			if (!(operation instanceof CacheableOperation cacheable) || cacheable.isSync()) {
				return false;
			}
		}
		Class<?> returnType = method.getReturnType();
		if (CompletableFuture.class.isAssignableFrom(returnType)) {
			return returnType == CompletableFuture.class;
		}
		return !(KotlinDetector.isKotlinReflectPresent() && KotlinDetector.isSuspendingFunction(method));
	}

	/**
	 * Strips the wrappers that an invocation's failure picks up on its way through the
	 * cache: waiters get the method's own exception.
	 */
	private static Throwable unwrap(Throwable ex) {
		Throwable cause = ex;
		if (cause instanceof CompletionException && cause.getCause() != null) {
			cause = cause.getCause();
		}
		if (cause instanceof CacheOperationInvoker.ThrowableWrapper wrapper) {
			cause = wrapper.getOriginal();
		}
		return cause;
	}

	/**
	 * One cache of one passing {@code @Cacheable}, with the key it computed.
	 */
	private record Target(LoadingContext context, TieredCache cache, Object key) {
	}

	/**
	 * Spring's context of one cache operation, with what a load needs from it.
	 */
	private final class LoadingContext extends CacheOperationContext {

		LoadingContext(CacheOperationMetadata metadata, Object[] args, Object target) {
			super(metadata, args, target);
		}

		boolean coalescesLoads() {
			for (Cache cache : getCaches()) {
				if (!(cache instanceof TieredCache tiered) || !tiered.getSettings().coalesceLoads()) {
					return false;
				}
			}
			return true;
		}

		// SpEL sees no #result in 'condition' and 'key' either way: Spring's own
		// marker for "no result yet" is not public, and an unset variable reads as null.
		boolean conditionPasses() {
			return isConditionPassing(null);
		}

		Object key() {
			Object key = generateKey(null);
			if (key == null) {
				throw new IllegalArgumentException(
						("Null key returned for cache operation [%s]. If you are using named "
								+ "parameters, ensure that the compiler uses the '-parameters' flag.")
							.formatted(getOperation()));
			}
			return key;
		}

		Collection<? extends Cache> caches() {
			return getCaches();
		}

		boolean mayStore(@Nullable Object value) {
			return canPutToCache(value);
		}

	}

	/**
	 * One call of a cached method: the first target's cache loads, the others are looked
	 * up and filled by its loader.
	 */
	private final class Load {

		private final CacheOperationInvoker invoker;

		private final Method method;

		private final List<Target> targets;

		private final Target first;

		Load(CacheOperationInvoker invoker, Method method, List<Target> targets) {
			this.invoker = invoker;
			this.method = method;
			this.targets = targets;
			this.first = targets.get(0);
		}

		@Nullable
		Object run() {
			Class<?> returnType = this.method.getReturnType();
			if (returnType == CompletableFuture.class) {
				return retrieve(this::invokeFuture)
					.exceptionallyCompose((ex) -> CompletableFuture.failedFuture(unwrap(ex)));
			}
			ReactiveAdapter adapter = ADAPTERS.getAdapter(returnType);
			if (adapter != null) {
				return reactive(adapter);
			}
			return plain();
		}

		private Object reactive(ReactiveAdapter adapter) {
			if (adapter.isMultiValue()) {
				Supplier<CompletableFuture<Object>> invocation = () -> Flux.from(publisher(adapter))
					.collectList()
					.<Object>map((list) -> list)
					.toFuture();
				return adapter.fromPublisher(Mono.fromFuture(() -> retrieve(invocation), true)
					.flatMapMany((value) -> (value instanceof Iterable<?> iterable) ? Flux.fromIterable(iterable)
							: Flux.just(value))
					.onErrorMap(CoalescingCacheInterceptor::unwrap));
			}
			Supplier<CompletableFuture<Object>> invocation = () -> Mono.from(publisher(adapter))
				.<Object>map((v) -> v)
				.toFuture();
			return adapter.fromPublisher(
					Mono.fromFuture(() -> retrieve(invocation), true).onErrorMap(CoalescingCacheInterceptor::unwrap));
		}

		private org.reactivestreams.Publisher<?> publisher(ReactiveAdapter adapter) {
			Object result = invokeOperation(this.invoker);
			return (result != null) ? adapter.toPublisher(result) : Mono.empty();
		}

		@SuppressWarnings("unchecked")
		private CompletableFuture<Object> invokeFuture() {
			CompletableFuture<Object> result = (CompletableFuture<Object>) invokeOperation(this.invoker);
			if (result == null) {
				throw new IllegalStateException("Returned CompletableFuture must not be null: " + this.method);
			}
			return result;
		}

		/**
		 * Retrieves through the first cache, whose loader looks in the other caches and
		 * then invokes the method.
		 */
		private CompletableFuture<Object> retrieve(Supplier<CompletableFuture<Object>> invocation) {
			Supplier<CompletableFuture<Object>> loader = () -> findInOthers(1).thenCompose((found) -> (found != MISS)
					? CompletableFuture.completedFuture(found) : invocation.get().thenApply(this::putInOthers));
			try {
				return this.first.cache().retrieve(this.first.key(), loader, this::mayStoreInFirst);
			}
			catch (RuntimeException ex) {
				getErrorHandler().handleCacheGetError(ex, this.first.cache(), this.first.key());
				return invocation.get();
			}
		}

		private CompletableFuture<Object> findInOthers(int index) {
			if (index == this.targets.size()) {
				return CompletableFuture.completedFuture(MISS);
			}
			Target target = this.targets.get(index);
			CompletableFuture<?> found = doRetrieve(target.cache(), target.key());
			if (found == null) {
				return findInOthers(index + 1);
			}
			return found.thenCompose((wrapper) -> (wrapper != null)
					? CompletableFuture.completedFuture(((Cache.ValueWrapper) wrapper).get())
					: findInOthers(index + 1));
		}

		@Nullable
		private Object plain() {
			Callable<Object> loader = () -> {
				for (int i = 1; i < this.targets.size(); i++) {
					Target target = this.targets.get(i);
					Cache.ValueWrapper found = doGet(target.cache(), target.key());
					if (found != null) {
						return found.get();
					}
				}
				return putInOthers(ObjectUtils.unwrapOptional(invokeOperation(this.invoker)));
			};
			Object value;
			try {
				value = this.first.cache().get(this.first.key(), loader, this::mayStoreInFirst);
			}
			catch (Cache.ValueRetrievalException ex) {
				// The invoker's ThrowableWrapper, which CacheInterceptor unwraps
				ReflectionUtils.rethrowRuntimeException(ex.getCause());
				return null;
			}
			catch (RuntimeException ex) {
				getErrorHandler().handleCacheGetError(ex, this.first.cache(), this.first.key());
				value = ObjectUtils.unwrapOptional(invokeOperation(this.invoker));
			}
			if (this.method.getReturnType() == Optional.class && !(value instanceof Optional)) {
				return Optional.ofNullable(value);
			}
			return value;
		}

		private boolean mayStoreInFirst(@Nullable Object value) {
			return this.first.context().mayStore(value);
		}

		@Nullable
		private Object putInOthers(@Nullable Object value) {
			for (int i = 1; i < this.targets.size(); i++) {
				Target target = this.targets.get(i);
				if ((value != null || target.cache().isAllowNullValues()) && target.context().mayStore(value)) {
					doPut(target.cache(), target.key(), value);
				}
			}
			return value;
		}

	}

}
