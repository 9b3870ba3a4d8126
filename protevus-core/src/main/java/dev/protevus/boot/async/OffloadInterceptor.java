package dev.protevus.boot.async;

import java.lang.reflect.Method;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.function.Supplier;

import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import reactor.core.Exceptions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.aop.ProxyMethodInvocation;
import org.springframework.aop.support.AopUtils;
import org.springframework.core.BridgeMethodResolver;
import org.springframework.core.ReactiveAdapterRegistry;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.lang.Nullable;
import org.springframework.util.ClassUtils;

/**
 * Runs an {@link Offload @Offload} method on its worker pool, in the way its return type
 * allows (see {@link Offload}).
 */
final class OffloadInterceptor implements MethodInterceptor {

	private final Supplier<WorkerPools> workerPools;

	private final Map<Method, Target> targets = new ConcurrentHashMap<>();

	OffloadInterceptor(Supplier<WorkerPools> workerPools) {
		this.workerPools = workerPools;
	}

	@Override
	@Nullable
	public Object invoke(MethodInvocation invocation) throws Throwable {
		Class<?> targetClass = (invocation.getThis() != null) ? AopUtils.getTargetClass(invocation.getThis()) : null;
		Method method = BridgeMethodResolver
			.findBridgedMethod(ClassUtils.getMostSpecificMethod(invocation.getMethod(), targetClass));
		Target target = this.targets.computeIfAbsent(method, Target::of);
		WorkerPools pools = this.workerPools.get();
		String pool = target.pool();
		return switch (target.kind()) {
			case MONO -> pools.offload(pool, () -> (Mono<?>) call(invocation)).flatMap(Function.identity());
			case FLUX -> pools.offload(pool, () -> (Flux<?>) call(invocation)).flatMapMany(Function.identity());
			case FUTURE -> pools.offload(pool, () -> (CompletionStage<?>) call(invocation))
				.flatMap(Mono::fromCompletionStage)
				.toFuture();
			case VALUE -> callAndWait(pools, target, invocation);
		};
	}

	@Nullable
	private static Object callAndWait(WorkerPools pools, Target target, MethodInvocation invocation) throws Throwable {
		if (target.pool().equals(WorkerPoolExecutor.currentPool())) {
			// Waiting for a task queued behind the caller in its own pool could deadlock.
			return invocation.proceed();
		}
		if (Schedulers.isInNonBlockingThread()) {
			throw new IllegalStateException(
					target.usage() + " returns a plain value, so its caller waits for worker pool '" + target.pool()
							+ "', and thread '" + Thread.currentThread().getName()
							+ "' must not wait. Return Mono, Flux or CompletableFuture from it instead.");
		}
		try {
			return pools.offload(target.pool(), () -> call(invocation)).block();
		}
		catch (RuntimeException ex) {
			throw Exceptions.unwrap(ex);
		}
	}

	/**
	 * Calls the method through a copy of the invocation, so that every subscription runs
	 * the rest of the interceptor chain and the method again.
	 */
	@Nullable
	private static Object call(MethodInvocation invocation) throws Exception {
		MethodInvocation call = (invocation instanceof ProxyMethodInvocation proxied) ? proxied.invocableClone()
				: invocation;
		try {
			return call.proceed();
		}
		catch (Exception | Error ex) {
			throw ex;
		}
		catch (Throwable ex) {
			throw new UndeclaredThrowableException(ex);
		}
	}

	/**
	 * How a method's return type is offloaded; {@code null} for types that cannot be.
	 */
	@Nullable
	static Kind kind(Class<?> returnType) {
		if (returnType == Mono.class) {
			return Kind.MONO;
		}
		if (returnType == Flux.class) {
			return Kind.FLUX;
		}
		if (returnType == CompletableFuture.class || returnType == CompletionStage.class) {
			return Kind.FUTURE;
		}
		if (Future.class.isAssignableFrom(returnType) || CompletionStage.class.isAssignableFrom(returnType)
				|| ReactiveAdapterRegistry.getSharedInstance().getAdapter(returnType) != null) {
			return null;
		}
		return Kind.VALUE;
	}

	static String usage(Method method, String pool) {
		return "@Offload(\"" + pool + "\") on " + ClassUtils.getShortName(method.getDeclaringClass()) + "."
				+ method.getName() + "()";
	}

	enum Kind {

		MONO, FLUX, FUTURE, VALUE

	}

	private record Target(String pool, Kind kind, String usage) {

		static Target of(Method method) {
			Offload offload = AnnotatedElementUtils.findMergedAnnotation(method, Offload.class);
			if (offload == null) {
				throw new IllegalStateException("No @Offload on " + method);
			}
			Kind kind = OffloadInterceptor.kind(method.getReturnType());
			if (kind == null) {
				throw OffloadBeanPostProcessor.unsupportedReturnType(method);
			}
			return new Target(offload.value(), kind, OffloadInterceptor.usage(method, offload.value()));
		}

	}

}
