package dev.protevus.boot.autoconfigure.session;

import java.time.Duration;
import java.time.Instant;

import dev.protevus.boot.autoconfigure.ProtevusAutoConfiguration;
import dev.protevus.boot.test.TestRedisCluster;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.data.redis.RedisAutoConfiguration;
import org.springframework.boot.autoconfigure.data.redis.RedisReactiveAutoConfiguration;
import org.springframework.boot.autoconfigure.session.SessionAutoConfiguration;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.session.ReactiveSessionRepository;
import org.springframework.session.Session;
import org.springframework.session.data.redis.ReactiveRedisSessionRepository;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spring Session on the three-master Redis Cluster, configured by nothing but Boot's
 * {@code spring.data.redis.cluster.nodes}: every session is one hash in one slot, read
 * through any instance, and a changed session id, whose new key usually lives on another
 * master, keeps the session and its expiry.
 */
class SessionStoreClusterTests {

	private final ReactiveWebApplicationContextRunner service = new ReactiveWebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ProtevusAutoConfiguration.class, SessionStoreAutoConfiguration.class,
				SessionAutoConfiguration.class, RedisAutoConfiguration.class, RedisReactiveAutoConfiguration.class))
		.withPropertyValues(TestRedisCluster.get().propertyValues())
		.withPropertyValues("spring.application.name=clustered");

	@Test
	void aSessionWrittenThroughOneInstanceIsReadThroughAnother() {
		this.service.run((first) -> this.service.run((second) -> {
			assertThat(first).hasSingleBean(ReactiveRedisSessionRepository.class);
			Session session = repository(first).createSession().block(Duration.ofSeconds(5));
			session.setAttribute("cart", "book-42");
			repository(first).save(session).block(Duration.ofSeconds(5));
			Session found = repository(second).findById(session.getId()).block(Duration.ofSeconds(5));
			assertThat(found).isNotNull();
			assertThat((String) found.getAttribute("cart")).isEqualTo("book-42");
		}));
	}

	@Test
	void aChangedSessionIdMovesTheSessionToItsNewSlotWithItsExpiry() {
		this.service.run((context) -> {
			ReactiveSessionRepository<Session> sessions = repository(context);
			Session session = sessions.createSession().block(Duration.ofSeconds(5));
			session.setAttribute("user", "ada");
			sessions.save(session).block(Duration.ofSeconds(5));
			String before = session.getId();
			Session loaded = sessions.findById(before).block(Duration.ofSeconds(5));
			// As at a login: a new id, and the request touches the session.
			String after = loaded.changeSessionId();
			loaded.setLastAccessedTime(Instant.now());
			sessions.save(loaded).block(Duration.ofSeconds(5));
			assertThat(sessions.findById(before).block(Duration.ofSeconds(5))).isNull();
			Session moved = sessions.findById(after).block(Duration.ofSeconds(5));
			assertThat(moved).isNotNull();
			assertThat((String) moved.getAttribute("user")).isEqualTo("ada");
			ReactiveStringRedisTemplate redis = context.getBean(ReactiveStringRedisTemplate.class);
			assertThat(redis.getExpire("clustered:session:sessions:" + after).block(Duration.ofSeconds(5)))
				.as("the moved session still expires")
				.isPositive();
		});
	}

	@SuppressWarnings("unchecked")
	private static ReactiveSessionRepository<Session> repository(ApplicationContext context) {
		return context.getBean(ReactiveSessionRepository.class);
	}

}
