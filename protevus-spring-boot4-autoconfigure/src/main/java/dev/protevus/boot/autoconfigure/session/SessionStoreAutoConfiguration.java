package dev.protevus.boot.autoconfigure.session;

import dev.protevus.boot.autoconfigure.ConditionalOnProtevusEnabled;
import dev.protevus.boot.autoconfigure.ProtevusAutoConfiguration;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.session.autoconfigure.SessionAutoConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.session.ReactiveSessionRepository;

/**
 * Stateless sessions: with Spring Session on the class path, a reactive application's
 * {@code WebSession}s live in Redis, where every instance reads them, whenever the
 * application uses Redis ({@code protevus.session.store=redis}), under the application's
 * key prefix ({@code <spring.application.name>:session}) unless
 * {@code spring.session.redis.namespace} is set; Spring Boot's own session
 * auto-configuration (on Boot 4, spring-boot-starter-session-data-redis) creates the
 * repository. Otherwise, and with {@code protevus.session.store=memory}, they live in a
 * bounded map in memory, so that an application that configures no Redis never connects
 * to one.
 *
 * @since 0.1.0
 */
@AutoConfiguration(before = SessionAutoConfiguration.class, after = ProtevusAutoConfiguration.class)
@ConditionalOnProtevusEnabled
@ConditionalOnClass(ReactiveSessionRepository.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@EnableConfigurationProperties(SessionStoreProperties.class)
@Import({ SessionStoreConfigurations.MemoryStoreConfiguration.class,
		SessionStoreConfigurations.RedisStoreConfiguration.class })
public class SessionStoreAutoConfiguration {

}
