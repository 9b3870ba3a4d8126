package dev.protevus.boot.autoconfigure.session;

import java.time.Duration;
import java.util.Map;

import com.github.benmanes.caffeine.cache.Caffeine;
import dev.protevus.boot.autoconfigure.PropertyChecks;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.session.MapSession;
import org.springframework.session.ReactiveMapSessionRepository;
import org.springframework.session.ReactiveSessionRepository;
import org.springframework.session.Session;
import org.springframework.session.data.redis.ReactiveRedisSessionRepository;

/**
 * The session stores that {@code SessionStoreAutoConfiguration} chooses between, shared
 * by the Spring Boot 3.5 and 4 lines.
 */
abstract class SessionStoreConfigurations {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(Caffeine.class)
	@Conditional(OnMemoryStore.class)
	static class MemoryStoreConfiguration {

		@Bean
		@ConditionalOnMissingBean(ReactiveSessionRepository.class)
		ReactiveMapSessionRepository reactiveSessionRepository(SessionStoreProperties properties,
				Environment environment) {
			int max = (int) PropertyChecks.positive(SessionStoreProperties.PREFIX + ".memory.max-sessions",
					properties.getMemory().getMaxSessions(), "10000");
			Map<String, Session> sessions = Caffeine.newBuilder().maximumSize(max).<String, Session>build().asMap();
			ReactiveMapSessionRepository repository = new ReactiveMapSessionRepository(sessions);
			repository.setDefaultMaxInactiveInterval(environment.getProperty("spring.session.timeout", Duration.class,
					MapSession.DEFAULT_MAX_INACTIVE_INTERVAL));
			return repository;
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(ReactiveRedisSessionRepository.class)
	@Conditional(OnRedisStore.class)
	static class RedisStoreConfiguration {

		/**
		 * Sets the key namespace after Spring Boot's own repository customizer, which
		 * sets {@code spring.session.redis.namespace} or its default.
		 */
		@Bean
		static BeanPostProcessor protevusSessionNamespacePostProcessor(Environment environment) {
			return new BeanPostProcessor() {

				@Override
				public Object postProcessAfterInitialization(Object bean, String beanName) {
					String name = environment.getProperty("spring.application.name");
					if (bean instanceof ReactiveRedisSessionRepository repository
							&& environment.getProperty("spring.session.redis.namespace") == null && name != null
							&& !name.isBlank()) {
						repository.setRedisKeyNamespace(name + ":session");
					}
					return bean;
				}

			};
		}

	}

	static class OnMemoryStore extends SpringBootCondition {

		@Override
		public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
			SessionStore store = SessionStore.of(context.getEnvironment());
			return new ConditionOutcome(store == SessionStore.MEMORY,
					ConditionMessage.forCondition("Session store").because("it is " + store));
		}

	}

	static class OnRedisStore extends SpringBootCondition {

		@Override
		public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
			SessionStore store = SessionStore.of(context.getEnvironment());
			return new ConditionOutcome(store == SessionStore.REDIS,
					ConditionMessage.forCondition("Session store").because("it is " + store));
		}

	}

}
