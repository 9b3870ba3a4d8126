package dev.protevus.boot.queue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.protevus.boot.async.WorkerPools;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Finds {@link QueueListener @QueueListener} methods on beans, checks their signatures at
 * start-up, and registers each with the context's {@link JobQueue} once all singletons
 * exist. A {@code void} method runs on the named pool of the context's
 * {@link WorkerPools}, or on Reactor's bounded elastic scheduler without them. Register
 * it as a {@code static} {@code @Bean} method.
 *
 * @since 0.1.0
 */
public final class QueueListenerBeanPostProcessor
		implements BeanPostProcessor, BeanFactoryAware, SmartInitializingSingleton {

	private final List<Listener> listeners = new ArrayList<>();

	private BeanFactory beanFactory;

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		Class<?> targetClass = AopProxyUtils.ultimateTargetClass(bean);
		if (AnnotationUtils.isCandidateClass(targetClass, QueueListener.class)) {
			Map<Method, QueueListener> methods = MethodIntrospector.selectMethods(targetClass,
					(MethodIntrospector.MetadataLookup<QueueListener>) (method) -> AnnotatedElementUtils
						.findMergedAnnotation(method, QueueListener.class));
			methods.forEach((method, annotation) -> {
				Method invocable = AopUtils.selectInvocableMethod(method, bean.getClass());
				synchronized (this.listeners) {
					this.listeners.add(listener(bean, beanName, invocable, annotation));
				}
			});
		}
		return bean;
	}

	@Override
	public void afterSingletonsInstantiated() {
		List<Listener> found;
		synchronized (this.listeners) {
			found = List.copyOf(this.listeners);
			this.listeners.clear();
		}
		if (found.isEmpty()) {
			return;
		}
		JobQueue queue = this.beanFactory.getBean(JobQueue.class);
		WorkerPools pools = this.beanFactory.getBeanProvider(WorkerPools.class).getIfUnique();
		for (Listener listener : found) {
			register(queue, pools, listener);
		}
	}

	@SuppressWarnings({ "unchecked", "rawtypes" })
	private static void register(JobQueue queue, WorkerPools pools, Listener listener) {
		Scheduler scheduler = null;
		if (!listener.reactive()) {
			scheduler = (pools != null) ? pools.scheduler(listener.pool()) : Schedulers.boundedElastic();
		}
		queue.listen(listener.queue(), (Class) listener.payloadType(), listener.handler(scheduler));
	}

	private static Listener listener(Object bean, String beanName, Method method, QueueListener annotation) {
		String description = "@QueueListener method " + method.getDeclaringClass().getName() + "." + method.getName()
				+ " of bean '" + beanName + "'";
		Class<?>[] parameters = method.getParameterTypes();
		int payloadIndex = -1;
		int jobIndex = -1;
		for (int i = 0; i < parameters.length; i++) {
			if (parameters[i] == Job.class && jobIndex < 0) {
				jobIndex = i;
			}
			else if (payloadIndex < 0) {
				payloadIndex = i;
			}
			else {
				payloadIndex = -2;
			}
		}
		if (payloadIndex < 0) {
			throw new IllegalStateException(description + " must take the payload and optionally a Job, but takes "
					+ parameters.length + " parameters");
		}
		Class<?> returnType = method.getReturnType();
		boolean reactive = Publisher.class.isAssignableFrom(returnType);
		if (!reactive && returnType != void.class) {
			throw new IllegalStateException(
					description + " must return Mono<Void> or void, but returns " + returnType.getName());
		}
		if (annotation.queue().isBlank()) {
			throw new IllegalStateException(description + " must name its queue");
		}
		ReflectionUtils.makeAccessible(method);
		return new Listener(bean, method, annotation.queue(), annotation.pool(), parameters[payloadIndex], payloadIndex,
				jobIndex, reactive, parameters.length);
	}

	private record Listener(Object bean, Method method, String queue, String pool, Class<?> payloadType,
			int payloadIndex, int jobIndex, boolean reactive, int parameterCount) {

		JobHandler<Object> handler(Scheduler scheduler) {
			if (this.reactive) {
				return (payload, job) -> Flux.from((Publisher<?>) invoke(payload, job)).then();
			}
			return (payload, job) -> Mono.fromCallable((Callable<Object>) () -> invoke(payload, job))
				.subscribeOn(scheduler)
				.then();
		}

		private Object invoke(Object payload, Job job) {
			Object[] arguments = new Object[this.parameterCount];
			arguments[this.payloadIndex] = payload;
			if (this.jobIndex >= 0) {
				arguments[this.jobIndex] = job;
			}
			try {
				Object result = this.method.invoke(this.bean, arguments);
				if (this.reactive && result == null) {
					return Mono.empty();
				}
				return result;
			}
			catch (InvocationTargetException ex) {
				Throwable target = ex.getTargetException();
				if (target instanceof RuntimeException runtime) {
					throw runtime;
				}
				if (target instanceof Error error) {
					throw error;
				}
				throw new IllegalStateException(target.getMessage(), target);
			}
			catch (IllegalAccessException ex) {
				throw new IllegalStateException(ex);
			}
		}

	}

}
