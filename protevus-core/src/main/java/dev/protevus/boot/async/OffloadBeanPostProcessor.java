package dev.protevus.boot.async;

import java.lang.reflect.Method;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.aop.framework.autoproxy.AbstractBeanFactoryAwareAdvisingPostProcessor;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.util.function.SingletonSupplier;

/**
 * Proxies beans with {@link Offload @Offload} methods, as Spring's {@code @Async} support
 * does, so that they run on the {@link WorkerPools} bean of the context, and checks every
 * such method at start-up: its return type, and (once all singletons exist) that its pool
 * does. Register it as a {@code static} {@code @Bean} method with the infrastructure
 * role.
 *
 * @since 0.1.0
 */
public final class OffloadBeanPostProcessor extends AbstractBeanFactoryAwareAdvisingPostProcessor
		implements SmartInitializingSingleton {

	/**
	 * Pools named by methods seen before the worker pools could be asked, by usage.
	 */
	private final Map<String, String> unchecked = new LinkedHashMap<>();

	private ObjectProvider<WorkerPools> workerPools;

	private boolean singletonsInstantiated;

	/**
	 * Creates the post-processor.
	 */
	public OffloadBeanPostProcessor() {
		// Like @Async: other advice (caching, transactions) then runs on the pool too.
		setBeforeExistingAdvisors(true);
		setProxyTargetClass(true);
	}

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		super.setBeanFactory(beanFactory);
		this.workerPools = beanFactory.getBeanProvider(WorkerPools.class);
		this.advisor = new DefaultPointcutAdvisor(new AnnotationMatchingPointcut(null, Offload.class, true),
				new OffloadInterceptor(SingletonSupplier.of(this.workerPools::getObject)));
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		Class<?> targetClass = AopProxyUtils.ultimateTargetClass(bean);
		if (AnnotationUtils.isCandidateClass(targetClass, Offload.class)) {
			MethodIntrospector
				.selectMethods(targetClass,
						(MethodIntrospector.MetadataLookup<Offload>) (method) -> AnnotatedElementUtils
							.findMergedAnnotation(method, Offload.class))
				.forEach(this::check);
		}
		return super.postProcessAfterInitialization(bean, beanName);
	}

	@Override
	public void afterSingletonsInstantiated() {
		Map<String, String> pending;
		synchronized (this.unchecked) {
			this.singletonsInstantiated = true;
			pending = new LinkedHashMap<>(this.unchecked);
			this.unchecked.clear();
		}
		pending.forEach(this::checkPool);
	}

	private void check(Method method, Offload offload) {
		if (OffloadInterceptor.kind(method.getReturnType()) == null) {
			throw unsupportedReturnType(method);
		}
		String usage = OffloadInterceptor.usage(method, offload.value());
		synchronized (this.unchecked) {
			if (!this.singletonsInstantiated) {
				this.unchecked.put(usage, offload.value());
				return;
			}
		}
		checkPool(usage, offload.value());
	}

	private void checkPool(String usage, String pool) {
		try {
			this.workerPools.getObject().scheduler(pool);
		}
		catch (UnknownWorkerPoolException ex) {
			throw new UnknownWorkerPoolException(pool, ex.getPools(), usage);
		}
		catch (IllegalArgumentException ex) {
			throw new UnknownWorkerPoolException(pool, null, usage);
		}
	}

	static IllegalStateException unsupportedReturnType(Method method) {
		return new IllegalStateException("@Offload supports methods that return Mono, Flux, CompletableFuture, "
				+ "CompletionStage or a plain value, but " + method + " returns " + method.getReturnType().getName());
	}

}
