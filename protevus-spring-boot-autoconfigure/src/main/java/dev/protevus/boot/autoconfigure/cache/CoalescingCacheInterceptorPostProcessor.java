package dev.protevus.boot.autoconfigure.cache;

import dev.protevus.boot.cache.CoalescingCacheInterceptor;

import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.cache.interceptor.CacheInterceptor;
import org.springframework.core.Ordered;
import org.springframework.core.PriorityOrdered;

/**
 * Puts a {@link CoalescingCacheInterceptor} in the place of the {@link CacheInterceptor}
 * that {@code @EnableCaching} registers, configured as Spring's was (the
 * {@code CachingConfigurer}'s error handler, key generator and cache resolver). A cache
 * interceptor of another class, the application's own, is left alone.
 */
class CoalescingCacheInterceptorPostProcessor implements BeanPostProcessor, BeanFactoryAware, PriorityOrdered {

	private BeanFactory beanFactory;

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	// Before auto-proxy creators: the cache advisor, and with it the interceptor, is
	// created as soon as the first bean is post-processed by one of them.
	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
		if (bean.getClass() != CacheInterceptor.class) {
			return bean;
		}
		CacheInterceptor spring = (CacheInterceptor) bean;
		CoalescingCacheInterceptor coalescing = new CoalescingCacheInterceptor();
		coalescing.configure(spring::getErrorHandler, spring::getKeyGenerator, spring::getCacheResolver, null);
		coalescing.setCacheOperationSource(spring.getCacheOperationSource());
		coalescing.setBeanFactory(this.beanFactory);
		coalescing.afterPropertiesSet();
		return coalescing;
	}

}
